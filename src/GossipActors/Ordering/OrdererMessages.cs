namespace GossipActors.Ordering;

/// <summary>Asks the orderer actor (in process) for its status. Reply: <see cref="OrdererStatus"/>.</summary>
public sealed record GetOrdererStatus : Akka.Actor.INoSerializationVerificationNeeded
{
    public static readonly GetOrdererStatus Instance = new();
}

/// <param name="Heights">Each channel's chain height.</param>
/// <param name="Rejected">Refused broadcasts and deliver requests, by reason.</param>
/// <param name="Accepted">Transactions accepted since start.</param>
/// <param name="Recovered">Transactions found pending at start and ordered again.</param>
/// <param name="Pending">Accepted transactions not yet in a block, all channels.</param>
public sealed record OrdererStatus(
    IReadOnlyDictionary<string, ulong> Heights,
    IReadOnlyDictionary<string, long> Rejected,
    long Accepted,
    long Recovered,
    int DeliverStreams,
    long BlocksSent,
    int Pending) : Akka.Actor.INoSerializationVerificationNeeded;
