using GossipActors.Crypto;
using GossipActors.Election;

namespace GossipActors.Tests.Election;

/// <summary>
/// Election cores of one org on a virtual clock, wired by an instant in-memory network: announcements reach every
/// connected peer in the sender's view at the same instant. Time moves only in <see cref="RunFor"/>, in steps.
/// </summary>
internal sealed class ElectionTestNet
{
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private readonly ElectionCoreSettings _settings;
    private readonly Dictionary<int, LeaderElectionCore> _cores = [];
    private int[]? _sideOf;

    public ElectionTestNet(ElectionCoreSettings settings, int size)
    {
        _settings = settings;
        Ids = [.. Enumerable.Range(0, size).Select(IdOf)];
    }

    /// <summary>Ids ordered by index: peer 0 has the lowest PKI-ID.</summary>
    public PkiId[] Ids { get; }

    public DateTimeOffset Now { get; private set; } = Epoch;

    public int Proposals { get; private set; }

    public LeaderElectionCore this[int peer] => _cores[peer];

    public bool IsUp(int peer) => _cores.ContainsKey(peer);

    public static PkiId IdOf(int index)
    {
        var bytes = new byte[PkiId.Length];
        bytes[0] = (byte)(index + 1);
        return PkiId.FromBytes(bytes);
    }

    public void Start(params int[] peers)
    {
        foreach (var peer in peers)
        {
            _cores[peer] = new LeaderElectionCore(Ids[peer], _settings, Now);
        }
        RefreshViews();
    }

    public void Crash(int peer)
    {
        _cores.Remove(peer);
        RefreshViews();
    }

    public void Partition(params int[][] sides)
    {
        _sideOf = new int[Ids.Length];
        for (var s = 0; s < sides.Length; s++)
        {
            foreach (var peer in sides[s])
            {
                _sideOf[peer] = s;
            }
        }
        RefreshViews();
    }

    public void Heal()
    {
        _sideOf = null;
        RefreshViews();
    }

    public bool Connected(int a, int b) => _cores.ContainsKey(a) && _cores.ContainsKey(b) && (_sideOf is null || _sideOf[a] == _sideOf[b]);

    public IReadOnlyList<int> Leaders => [.. _cores.Where(c => c.Value.IsLeader).Select(c => c.Key).Order()];

    public void RunFor(TimeSpan duration)
    {
        var end = Now + duration;
        while (Now < end)
        {
            Now += Step;
            foreach (var (peer, core) in _cores.ToList())
            {
                if (core.NextDue <= Now)
                {
                    Deliver(peer, core.Tick(Now));
                }
            }
        }
    }

    /// <summary>Runs until <paramref name="condition"/> holds; returns the time it took, or null if not within <paramref name="limit"/>.</summary>
    public TimeSpan? RunUntil(Func<bool> condition, TimeSpan limit)
    {
        var start = Now;
        while (Now - start < limit)
        {
            if (condition())
            {
                return Now - start;
            }
            RunFor(Step);
        }
        return condition() ? Now - start : null;
    }

    public void Deliver(int from, ElectionOutput output)
    {
        foreach (var announcement in output.Announcements)
        {
            if (announcement == LeadershipAnnouncement.Proposal)
            {
                Proposals++;
            }
            foreach (var to in _cores.Keys.Where(p => p != from && Connected(from, p)).ToList())
            {
                if (_cores.TryGetValue(to, out var core))
                {
                    Deliver(to, core.OnMessage(Ids[from], announcement == LeadershipAnnouncement.Declaration, Now));
                }
            }
        }
    }

    private void RefreshViews()
    {
        foreach (var (peer, core) in _cores.ToList())
        {
            var view = _cores.Keys.Where(p => p != peer && Connected(peer, p)).Select(p => Ids[p]).ToList();
            Deliver(peer, core.UpdatePeers(view, Now));
        }
    }
}
