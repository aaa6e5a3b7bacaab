namespace GossipActors.Ordering;

/// <summary>What the orderer actor is built with (from the orderer.* settings).</summary>
/// <param name="Channels">Each served channel with the organisations whose peers may pull its blocks.</param>
/// <param name="MaxPendingTransactions">Broadcasts waiting for one disk write beyond this are answered OVERLOADED.</param>
/// <param name="DeliverWindow">Blocks a deliver stream may have unacknowledged.</param>
/// <param name="MaxDeliverStreams">Deliver streams served at once; more are answered UNAVAILABLE.</param>
/// <param name="StreamIdleTimeout">A stream whose client sent nothing (acknowledgement or keepalive) this long is dropped.</param>
/// <param name="RequestFreshness">A deliver request whose timestamp is further than this from the orderer's clock is refused.</param>
/// <param name="Writers">Each channel with the organisations whose members may submit to it (Fabric's Writers policy);
/// a channel not listed here takes its <paramref name="Channels"/> organisations.</param>
public sealed record OrdererOptions(
    IReadOnlyDictionary<string, IReadOnlySet<string>> Channels,
    BatchLimits Batch,
    int MaxPendingTransactions,
    int DeliverWindow,
    int MaxDeliverStreams,
    TimeSpan StreamIdleTimeout,
    TimeSpan RequestFreshness,
    IReadOnlyDictionary<string, IReadOnlySet<string>>? Writers = null)
{
    /// <summary>The organisations whose members may submit to <paramref name="channel"/>.</summary>
    public IReadOnlySet<string> WritersOf(string channel) =>
        Writers?.GetValueOrDefault(channel) ?? Channels.GetValueOrDefault(channel) ?? new HashSet<string>();
}
