namespace GossipActors.Channels;

/// <summary>How a channel's state info (each peer's ledger height) is published, spread, pulled and expired.</summary>
/// <param name="PublishInterval">peer.gossip.publishStateInfoInterval: our state info goes out at most this often, and
/// only when our height changed (or, as a keep-alive, when half the retention interval passed since the last one).</param>
/// <param name="RequestInterval">peer.gossip.requestStateInfoInterval: how often we pull the channel's state info
/// snapshot from one random peer.</param>
/// <param name="RetentionInterval">peer.gossip.stateInfoRetentionInterval: the state info of a peer that membership
/// no longer lists as alive expires once not renewed for this long (an alive peer's does not expire by age); our own
/// goes out as a keep-alive every half of it.</param>
/// <param name="Fanout">How many peers a state info is pushed to, by its publisher and once more by each peer that
/// receives it from its publisher (peer.gossip.propagatePeerNum).</param>
public sealed record StateInfoSettings(TimeSpan PublishInterval, TimeSpan RequestInterval, TimeSpan RetentionInterval, int Fanout = 3)
{
    /// <summary>Fabric's core.yaml defaults: 4 s, 4 s, 400 s (publish interval x 100), fan-out 3.</summary>
    public static StateInfoSettings Default { get; } = new(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(400));

    /// <summary>Problems with these settings, each naming the setting, the value and what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PublishInterval <= TimeSpan.Zero)
        {
            problems.Add($"publishStateInfoInterval = {PublishInterval}: must be a positive duration.");
        }
        if (RequestInterval <= TimeSpan.Zero)
        {
            problems.Add($"requestStateInfoInterval = {RequestInterval}: must be a positive duration.");
        }
        if (RetentionInterval <= PublishInterval * 2)
        {
            problems.Add($"stateInfoRetentionInterval = {RetentionInterval}: must be more than twice publishStateInfoInterval "
                + $"({PublishInterval}), or live peers expire between their keep-alive publications.");
        }
        if (Fanout < 1)
        {
            problems.Add($"Fanout = {Fanout}: must be at least 1.");
        }
        return problems;
    }
}
