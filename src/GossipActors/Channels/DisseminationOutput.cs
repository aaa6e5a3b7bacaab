using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>What one input to the dissemination cores produced: messages to send, and blocks new to this peer.</summary>
public sealed class DisseminationOutput
{
    public List<GossipSend> Sends { get; } = [];

    /// <summary>Blocks this peer did not have before, in arrival order: hand them to the ledger (payload buffer).</summary>
    public List<DataMessage> NewBlocks { get; } = [];

    public bool IsEmpty => Sends.Count == 0 && NewBlocks.Count == 0;
}
