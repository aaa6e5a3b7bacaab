namespace GossipActors.Discovery;

/// <summary>
/// The deadlines of periodic work that a core checks on ticks (membership's alive, reconnect and anti-entropy; state
/// info publish and pull; block pull rounds; leader declarations). A tick arrives a little after the instant it was
/// meant for (scheduling jitter, a busy mailbox), so the next deadline counts from when the work was due, not from
/// when the tick came: counted from the tick, every period grows by the lateness, and with a coarse periodic tick
/// the next deadline falls just after a tick, which then misses it by a few milliseconds and the work waits a whole
/// tick more (an alive every 1 s checked on a 0.5 s tick went out every 1.5 s).
/// </summary>
public static class Cadence
{
    /// <summary>
    /// Whether work due at <paramref name="due"/> (null: never done, due at once) is due at <paramref name="now"/>,
    /// counting a tick up to <paramref name="tolerance"/> early as on time (a periodic tick whose grid sits just
    /// before the deadlines).
    /// </summary>
    public static bool IsDue(DateTimeOffset? due, DateTimeOffset now, TimeSpan tolerance = default) =>
        due is not { } at || now + tolerance >= at;

    /// <summary>
    /// The next deadline of work that was due at <paramref name="due"/>, is done at <paramref name="now"/> and repeats
    /// every <paramref name="interval"/>: one interval after it was due, so lateness does not add up; one interval
    /// after now when it had no deadline or ran an interval or more late (after a stall the work does not burst to
    /// catch up). Always after now.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset? due, DateTimeOffset now, TimeSpan interval) =>
        due is { } at && now - at < interval ? at + interval : now + interval;
}
