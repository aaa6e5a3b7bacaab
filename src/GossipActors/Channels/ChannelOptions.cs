namespace GossipActors.Channels;

/// <summary>What one channel actor is built with (from peer.channels and the gossip settings).</summary>
/// <param name="Name">The channel name.</param>
/// <param name="Orgs">MSP IDs of the member organisations (includes ours).</param>
/// <param name="OrdererOrg">MSP ID of the organisation whose orderers sign the channel's blocks.</param>
/// <param name="Dissemination">Push, pull and store settings of the dissemination cores.</param>
/// <param name="StateInfo">How state info is published, spread, pulled and expired.</param>
/// <param name="PayloadBufferSize">How far ahead of the ledger height early blocks are held until the gap fills.</param>
/// <param name="Delivery">How to pull blocks from the ordering service; null = no delivery client (blocks only by injection and gossip).</param>
public sealed record ChannelOptions(
    string Name,
    IReadOnlyList<string> Orgs,
    string OrdererOrg,
    DisseminationCoreSettings Dissemination,
    StateInfoSettings StateInfo,
    int PayloadBufferSize = 100,
    Delivery.DeliveryOptions? Delivery = null)
{
    /// <summary>The channel actor's name under the peer actor.</summary>
    public string ActorName => ActorNameOf(Name);

    public static string ActorNameOf(string channel) => "channel-" + channel;
}
