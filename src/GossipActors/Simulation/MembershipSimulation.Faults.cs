namespace GossipActors.Simulation;

/// <summary>The scripted faults of a run: crashes, a partition and its healing (each one changes the ground truth).</summary>
public sealed partial class MembershipSimulation
{
    private void CrashSome()
    {
        var candidates = Enumerable.Range(0, _scenario.Peers).Where(p => !IsBootstrap(p)).ToList();
        var crashed = new List<int>();
        for (var k = 0; k < _scenario.CrashCount; k++)
        {
            var pick = _scenarioRandom.Next(candidates.Count);
            crashed.Add(candidates[pick]);
            candidates.RemoveAt(pick);
        }
        foreach (var peer in crashed)
        {
            _network.Crash(peer);
        }
        _crashedAt = _scheduler.Now;
        Recount(crashed, CurrentSides);
        _crashedAliveAtCrash = _tracker.CrashedAliveTotal;
    }

    private int[]? CurrentSides { get; set; }

    private void Split()
    {
        var sides = new int[_scenario.Peers];
        for (var p = 0; p < sides.Length; p++)
        {
            sides[p] = p - FirstOf(OrgIndex(p)) < Math.Max(1, (int)(OrgSize * _scenario.PartitionFraction)) ? 0 : 1;
        }
        _network.Partition(sides);
        CurrentSides = sides;
        _partitionedAt = _scheduler.Now;
        Recount([], sides);
    }

    private void Heal()
    {
        _network.Heal();
        CurrentSides = null;
        _healedAt = _scheduler.Now;
        Recount([], null);
    }

    private void Recount(IEnumerable<int> crashed, int[]? sides)
    {
        _tracker.Recount(crashed, sides, observer => _cores[observer].AliveMembers.Select(r => _indexOf[r.PkiId]));
        CheckMilestones();
    }
}
