namespace GossipActors.Simulation;

/// <summary>
/// The CPU of the simulated peers in virtual time. Each peer handles one piece of work at a time, in arrival order
/// (its actors' mailboxes), so a busy peer's queue delays what it sends next. By default every peer has its own core;
/// with <c>sharedCores</c> set, all peers compete for that many cores (first come, first served), as when the real
/// benchmark hosts every peer on one machine.
/// </summary>
public sealed class PeerCpu
{
    private readonly TimeSpan[] _peerFree;
    private readonly TimeSpan[]? _coreFree;

    public PeerCpu(int peers, int? sharedCores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(peers, 1);
        if (sharedCores is { } cores)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1, nameof(sharedCores));
            _coreFree = new TimeSpan[cores];
        }
        _peerFree = new TimeSpan[peers];
    }

    /// <summary>Whether <paramref name="peer"/>'s lane has nothing to do at <paramref name="at"/>: work that starts then
    /// must wake its threads first.</summary>
    public bool IsIdle(int peer, TimeSpan at) => _peerFree[peer] < at;

    /// <summary>CPU time spent over all peers.</summary>
    public TimeSpan Busy { get; private set; }

    /// <summary>
    /// Runs <paramref name="cost"/> of work for <paramref name="peer"/>, ready at <paramref name="ready"/> (called in
    /// virtual-time order); returns when it completes.
    /// </summary>
    public TimeSpan Run(int peer, TimeSpan ready, TimeSpan cost)
    {
        var start = ready > _peerFree[peer] ? ready : _peerFree[peer];
        var core = -1;
        if (_coreFree is not null)
        {
            core = 0;
            for (var c = 1; c < _coreFree.Length; c++)
            {
                if (_coreFree[c] < _coreFree[core])
                {
                    core = c;
                }
            }
            if (_coreFree[core] > start)
            {
                start = _coreFree[core];
            }
        }
        var done = start + cost;
        _peerFree[peer] = done;
        if (core >= 0)
        {
            _coreFree![core] = done;
        }
        Busy += cost;
        return done;
    }
}
