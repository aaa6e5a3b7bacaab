using GossipActors.Protocol.Wire;

namespace GossipActors.Delivery;

/// <summary>
/// A block the channel's delivery child has verified (orderer signature and certificate, channel, data hash, number
/// the stream was due to carry), handed to its channel, which then checks only what the delivery child cannot know
/// (the chain at the channel's height, the payload buffer) and does not verify the block a second time. Reply:
/// <see cref="Channels.InjectBlockResult"/>.
/// <para>It cannot come from the network: only this assembly constructs one, no serializer is configured for it (it
/// has no manifest in the gossip wire serializer and is not among Hyperion's allowed types), and the channel takes it
/// only from its own delivery child (from any other sender it is refused and counted as
/// <see cref="Channels.ChannelRejection.NotFromDelivery"/>). Never leaves its process, so it is exempt from
/// akka.actor.serialize-messages.</para>
/// </summary>
public sealed class VerifiedBlock : Akka.Actor.INoSerializationVerificationNeeded
{
    internal VerifiedBlock(string channel, ulong number, Block block, Google.Protobuf.ByteString bytes)
    {
        Channel = channel;
        Number = number;
        Block = block;
        Bytes = bytes;
    }

    public string Channel { get; }
    public ulong Number { get; }
    public Block Block { get; }

    /// <summary>The block as the orderer encoded it (what gossip carries and the ledger stores; never re-encoded).</summary>
    public Google.Protobuf.ByteString Bytes { get; }
}
