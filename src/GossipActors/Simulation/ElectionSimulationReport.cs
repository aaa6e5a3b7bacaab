using System.Globalization;
using System.Text;

namespace GossipActors.Simulation;

/// <summary>One schedule's outcome.</summary>
/// <param name="SettledAfter">Time from the final heal until each org had exactly one leader that all its peers
/// followed, for good (to the end of the run); null if that never happened.</param>
/// <param name="LongestLeaderless">The longest stretch any connected side of an org went without a leader (after warm-up).</param>
/// <param name="LongestSplit">The longest stretch any connected side had more than one leader.</param>
public sealed record ElectionRunResult(
    int Seed,
    int Events,
    TimeSpan? SettledAfter,
    TimeSpan LongestLeaderless,
    TimeSpan LongestSplit,
    long ElectionsStarted,
    long Announcements,
    long Dropped,
    IReadOnlyList<int> FinalLeaders)
{
    public bool SettledWithin(TimeSpan bound) => SettledAfter is { } s && s <= bound;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Seed}:{Events}:{SettledAfter?.TotalMilliseconds}:{LongestLeaderless.TotalMilliseconds}:{LongestSplit.TotalMilliseconds}:{ElectionsStarted}:{Announcements}:{string.Join('.', FinalLeaders)}");
}

/// <summary>Many schedules: how many met both bounds, and the distributions behind them.</summary>
public sealed record ElectionBatchReport(ElectionScenario Template, int FirstSeed, IReadOnlyList<ElectionRunResult> Runs)
{
    public TimeSpan Bound => Template.EffectiveBound;

    public IReadOnlyList<ElectionRunResult> NotSettled => [.. Runs.Where(r => !r.SettledWithin(Bound))];

    public IReadOnlyList<ElectionRunResult> LeaderlessTooLong => [.. Runs.Where(r => r.LongestLeaderless > Bound)];

    public bool AllWithinBound => NotSettled.Count == 0 && LeaderlessTooLong.Count == 0;

    /// <summary>A digest of every run's figures: the same seeds and settings give the same fingerprint.</summary>
    public string Fingerprint => ElectionSimulation.Fingerprint(Runs);

    public static ElectionBatchReport Run(ElectionScenario template, int firstSeed, int runs) =>
        new(template, firstSeed, [.. Enumerable.Range(firstSeed, runs).Select(seed => new ElectionSimulation(template with { Seed = seed }).Run())]);

    public string Format()
    {
        var s = Template.Settings;
        var text = new StringBuilder();
        text.AppendLine(Inv($"election simulation: {Runs.Count} schedules (seeds {FirstSeed}..{FirstSeed + Runs.Count - 1}), {Template.Orgs} org(s) x {Template.PeersPerOrg} peers"));
        text.AppendLine(Inv($"  timers: leaderAliveThreshold {S(s.LeaderAliveThreshold)}, leaderElectionDuration {S(s.LeaderElectionDuration)}, startupGracePeriod {S(s.StartupGracePeriod)}, membershipSampleInterval {S(s.MembershipSampleInterval)}, fastFailover {s.FastFailover}"));
        text.AppendLine(Inv($"  network: latency {S(Template.Latency)} + jitter {S(Template.LatencyJitter)}, loss {Template.LossRate}, view lag {S(Template.ViewLag)}, hint delay {S(Template.HintDelay)}; {Template.MinEvents}-{Template.MaxEvents} faults {S(Template.MinGap)}-{S(Template.MaxGap)} apart"));
        text.AppendLine(Inv($"  bound: {S(Bound)}"));
        text.AppendLine("  | measure                                   |    p50 |    p99 |    max | over bound |");
        text.AppendLine("  |-------------------------------------------|--------|--------|--------|------------|");
        var settled = Runs.Select(r => r.SettledAfter ?? TimeSpan.MaxValue).ToList();
        text.AppendLine(Row("final heal -> exactly one leader per org", settled, NotSettled.Count));
        text.AppendLine(Row("longest leaderless stretch of a side", [.. Runs.Select(r => r.LongestLeaderless)], LeaderlessTooLong.Count));
        text.AppendLine(Row("longest stretch with two leaders in a side", [.. Runs.Select(r => r.LongestSplit)], Runs.Count(r => r.LongestSplit > Bound)));
        text.AppendLine(Inv($"  elections started per schedule: {Runs.Average(r => r.ElectionsStarted):0.0}; announcements: {Runs.Average(r => r.Announcements):0}"));
        text.AppendLine(Inv($"  result: {(AllWithinBound ? "PASS" : "FAIL")} ({Runs.Count - NotSettled.Count}/{Runs.Count} settled within the bound, {Runs.Count - LeaderlessTooLong.Count}/{Runs.Count} never leaderless beyond it); fingerprint {Fingerprint}"));
        foreach (var bad in NotSettled.Concat(LeaderlessTooLong).Distinct().Take(10))
        {
            text.AppendLine(Inv($"  seed {bad.Seed}: settled after {(bad.SettledAfter is { } t ? S(t) : "never")}, longest leaderless {S(bad.LongestLeaderless)}"));
        }
        return text.ToString().TrimEnd();
    }

    private static string Row(string name, List<TimeSpan> values, int over)
    {
        values.Sort();
        return Inv($"  | {name,-41} | {P(values, 0.50),6} | {P(values, 0.99),6} | {P(values, 1.0),6} | {over,10} |");
    }

    private static string P(List<TimeSpan> sorted, double q)
    {
        var value = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(q * sorted.Count) - 1)];
        return value == TimeSpan.MaxValue ? "never" : S(value);
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + "s";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
