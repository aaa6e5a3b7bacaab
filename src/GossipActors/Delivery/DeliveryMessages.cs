namespace GossipActors.Delivery;

/// <summary>Asks a channel's delivery actor (through the peer actor) for its state. Reply: <see cref="DeliveryStatus"/>.</summary>
public sealed record GetDeliveryStatus(string Channel) : Akka.Actor.INoSerializationVerificationNeeded;

/// <param name="Active">Pulling (leader, or every peer pulls), connected or not.</param>
/// <param name="Connected">A deliver stream is up (the orderer has answered).</param>
/// <param name="Orderer">The endpoint in use or being tried; "" when dormant.</param>
/// <param name="NextBlock">The next block expected from the stream.</param>
/// <param name="Received">Blocks received and handed to the channel.</param>
/// <param name="Rejected">Refused blocks and stream failures, by reason.</param>
public sealed record DeliveryStatus(
    bool Active,
    bool Connected,
    string Orderer,
    ulong NextBlock,
    long Received,
    long Reconnects,
    IReadOnlyDictionary<string, long> Rejected) : Akka.Actor.INoSerializationVerificationNeeded;
