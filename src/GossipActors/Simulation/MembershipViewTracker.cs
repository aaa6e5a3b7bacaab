namespace GossipActors.Simulation;

/// <summary>
/// Counts, incrementally, what the simulated peers believe: per observer, how many live peers it holds alive, how many
/// crashed peers, how many peers across the partition. Turns view changes into the report's milestones and counts
/// false dead declarations. O(1) per view change; a full recount only when the ground truth changes.
/// </summary>
internal sealed class MembershipViewTracker(int peers)
{
    private readonly int[] _aliveLive = new int[peers];
    private readonly int[] _aliveCrashed = new int[peers];
    private readonly int[] _aliveAcross = new int[peers];
    private readonly bool[] _complete = new bool[peers];
    private readonly bool[] _started = new bool[peers];
    private readonly bool[] _crashed = new bool[peers];
    private int[]? _side;
    private int _startedCount;
    private int _liveCount = peers;
    private int _completeCount;

    public long CrashedAliveTotal { get; private set; }
    public long AcrossAliveTotal { get; private set; }
    public long FalseDead { get; private set; }
    public long CrashedResurrections { get; private set; }

    public bool AllStarted => _startedCount == _started.Length;
    public bool FullView => AllStarted && _completeCount == _liveCount;
    public bool IsCrashed(int peer) => _crashed[peer];
    public bool IsStarted(int peer) => _started[peer];

    public void Started(int peer)
    {
        _started[peer] = true;
        _startedCount++;
        Touch(peer);
    }

    public void PeerAlive(int observer, int subject, bool resurrected)
    {
        if (_crashed[subject])
        {
            _aliveCrashed[observer]++;
            CrashedAliveTotal++;
            CrashedResurrections += resurrected ? 1 : 0;
        }
        else
        {
            _aliveLive[observer]++;
        }
        if (_side is { } side && side[observer] != side[subject])
        {
            _aliveAcross[observer]++;
            AcrossAliveTotal++;
        }
        Touch(observer);
    }

    public void PeerDead(int observer, int subject)
    {
        if (_crashed[subject])
        {
            _aliveCrashed[observer]--;
            CrashedAliveTotal--;
        }
        else
        {
            _aliveLive[observer]--;
            if (_side is null || _side[observer] == _side[subject])
            {
                FalseDead++;
            }
        }
        if (_side is { } side && side[observer] != side[subject])
        {
            _aliveAcross[observer]--;
            AcrossAliveTotal--;
        }
        Touch(observer);
    }

    /// <summary>The ground truth changed (crash, partition, heal): recount every live observer's alive view.</summary>
    public void Recount(IEnumerable<int> crashed, int[]? side, Func<int, IEnumerable<int>> aliveViewOf)
    {
        foreach (var peer in crashed)
        {
            _crashed[peer] = true;
        }
        _side = side;
        _liveCount = _crashed.Count(c => !c);
        CrashedAliveTotal = 0;
        AcrossAliveTotal = 0;
        _completeCount = 0;
        for (var observer = 0; observer < _started.Length; observer++)
        {
            _aliveLive[observer] = _aliveCrashed[observer] = _aliveAcross[observer] = 0;
            _complete[observer] = false;
            if (_crashed[observer])
            {
                continue;
            }
            foreach (var subject in aliveViewOf(observer))
            {
                if (_crashed[subject])
                {
                    _aliveCrashed[observer]++;
                    CrashedAliveTotal++;
                }
                else
                {
                    _aliveLive[observer]++;
                }
                if (side is not null && side[observer] != side[subject])
                {
                    _aliveAcross[observer]++;
                    AcrossAliveTotal++;
                }
            }
            Touch(observer);
        }
    }

    private void Touch(int observer)
    {
        var complete = _started[observer] && !_crashed[observer] && _aliveLive[observer] == _liveCount - 1;
        if (complete != _complete[observer])
        {
            _complete[observer] = complete;
            _completeCount += complete ? 1 : -1;
        }
    }
}
