namespace GossipActors.Delivery;

/// <summary>How a channel's delivery actor reaches the ordering service (peer.deliveryclient.* and the channel's orderers).</summary>
/// <param name="Orderers">host:port of the channel's orderers, tried in turn (the channel entry's orderers key).</param>
/// <param name="Protocol">The Akka address scheme (akka.tcp, or with test adapters akka.trttl.tcp).</param>
/// <param name="StaticLeader">peer.gossip.orgLeader without election: this peer leads its org from the start.</param>
/// <param name="BlockGossipEnabled">false: every peer pulls from the orderer whatever its leadership, and no block is gossiped.</param>
/// <param name="ConnTimeout">Longest wait to reach the orderer; also the keepalive period (silence for twice this = lost).</param>
/// <param name="ReConnectBackoffThreshold">Largest delay between reconnection attempts (the delay doubles from 100 ms).</param>
/// <param name="ReconnectTotalTimeThreshold">After failing this long, the channel is told <c>OrdererUnreachable</c>.</param>
public sealed record DeliveryOptions(
    IReadOnlyList<string> Orderers,
    string Protocol,
    bool StaticLeader,
    bool BlockGossipEnabled,
    TimeSpan ConnTimeout,
    TimeSpan ReConnectBackoffThreshold,
    TimeSpan ReconnectTotalTimeThreshold)
{
    /// <summary>Fabric 2.2+ mode: every peer pulls, whether or not it leads.</summary>
    public bool AlwaysPull => !BlockGossipEnabled;
}
