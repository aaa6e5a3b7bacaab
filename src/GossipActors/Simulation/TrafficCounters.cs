using GossipActors.Protocol.Wire;

namespace GossipActors.Simulation;

/// <summary>Per-peer traffic of a dissemination run, counted from the first block on (state info warm-up excluded).</summary>
internal sealed class TrafficCounters(int peers)
{
    public bool Measuring { get; set; }

    /// <summary>True from the first block to the last block's injection: the window of the steady-state state info
    /// figures (state info traffic is timer-driven, so it is measured while blocks flow, not over the drain).</summary>
    public bool SteadyWindow { get; set; }

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

    /// <summary>State info messages and bytes received, over all peers, by kind (<see cref="StateInfoKind"/>):
    /// during the warm-up (before the first block) and in the steady window.</summary>
    public long[] WarmupStateInfoMessages { get; } = new long[4];
    public long[] WarmupStateInfoBytes { get; } = new long[4];
    public long[] StateInfoMessagesByKind { get; } = new long[4];
    public long[] StateInfoBytesByKind { get; } = new long[4];

    /// <summary>A received message's state info kind: 0 a publisher's push, 1 a relayed copy, 2 a pull request,
    /// 3 a pull answer; -1 for any other kind.</summary>
    public static int StateInfoKind(GossipMessage message, bool fromPublisher) => message.ContentCase switch
    {
        GossipMessage.ContentOneofCase.StateInfo => fromPublisher ? 0 : 1,
        GossipMessage.ContentOneofCase.StateInfoPullReq => 2,
        GossipMessage.ContentOneofCase.StateSnapshot => 3,
        _ => -1,
    };

    public void Received(int peer, SimEnvelope envelope, int stateInfoKind)
    {
        if (stateInfoKind >= 0)
        {
            if (!Measuring)
            {
                WarmupStateInfoMessages[stateInfoKind]++;
                WarmupStateInfoBytes[stateInfoKind] += envelope.WireBytes;
            }
            else if (SteadyWindow)
            {
                StateInfoMessagesByKind[stateInfoKind]++;
                StateInfoBytesByKind[stateInfoKind] += envelope.WireBytes;
            }
        }
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
