using GossipActors.Protocol.Wire;

namespace GossipActors.Simulation;

/// <summary>Per-peer traffic of a dissemination run, counted from the first block on (state info warm-up excluded).</summary>
internal sealed class TrafficCounters(int peers)
{
    public bool Measuring { get; set; }

    /// <summary>Full block copies received (data messages and pull response elements), counted always.</summary>
    public long[] Copies { get; } = new long[peers];

    public long[] MessagesSent { get; } = new long[peers];
    public long[] MessagesReceived { get; } = new long[peers];
    public long[] BytesReceived { get; } = new long[peers];
    public long[] Signatures { get; } = new long[peers];
    public long[] Verifications { get; } = new long[peers];
    public long[] Digests { get; } = new long[peers];
    public long[] StateInfoMessages { get; } = new long[peers];
    public long[] StateInfoBytes { get; } = new long[peers];

    /// <summary>Blocks a peer got by state transfer that it did not have, and blocks it served; counted always.</summary>
    public long[] StateTransferBlocks { get; } = new long[peers];
    public long[] BlocksServed { get; } = new long[peers];

    public void StateTransferBlock(int peer) => StateTransferBlocks[peer]++;

    public void Served(int peer, int blocks) => BlocksServed[peer] += blocks;

    public void Sent(int peer)
    {
        if (Measuring)
        {
            MessagesSent[peer]++;
        }
    }

    public void Signed(int peer)
    {
        if (Measuring)
        {
            Signatures[peer]++;
        }
    }

    public void Received(int peer, SimEnvelope envelope)
    {
        if (!Measuring)
        {
            return;
        }
        MessagesReceived[peer]++;
        BytesReceived[peer] += envelope.WireBytes;
        Verifications[peer] += (envelope.Signed ? 1 : 0) + envelope.Blocks;
        switch (envelope.Message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.DataDigest:
                Digests[peer]++;
                break;
            case GossipMessage.ContentOneofCase.StateInfo or GossipMessage.ContentOneofCase.StateInfoPullReq or GossipMessage.ContentOneofCase.StateSnapshot:
                StateInfoMessages[peer]++;
                StateInfoBytes[peer] += envelope.WireBytes;
                break;
        }
    }

    /// <summary>Signatures checked beyond one per signed message (the elements of a state info snapshot).</summary>
    public void Verified(int peer, int count)
    {
        if (Measuring)
        {
            Verifications[peer] += count;
        }
    }
}
