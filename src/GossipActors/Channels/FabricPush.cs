using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// Fabric's push: a block new to this peer goes into a burst buffer; the buffer is emitted when it holds
/// maxPropagationBurstSize blocks or maxPropagationBurstLatency after its first block, whichever comes first.
/// Each emission sends every buffered block to the same propagatePeerNum random peers (never back to the peer it
/// came from); a block stays buffered for propagateIterations emissions. Infect-and-die: a peer forwards a block
/// only on its first receipt. No digests.
/// </summary>
public sealed class FabricPush
{
    private readonly ChannelContext _ctx;
    private readonly List<Pending> _buffer = [];

    public FabricPush(ChannelContext ctx) => _ctx = ctx;

    public int Buffered => _buffer.Count;

    /// <summary>When the buffer must be emitted; null when it is empty.</summary>
    public DateTimeOffset? NextDue { get; private set; }

    /// <summary>A block new to this peer, from <paramref name="from"/> (empty for our own block).</summary>
    public void OnNewBlock(DataMessage block, PkiId from, DateTimeOffset now, DisseminationOutput output)
    {
        var forward = ChannelContext.Data(block.SeqNum, block.Block, 0, 0);
        _buffer.Add(new Pending(_ctx.Message(forward), from, _ctx.Settings.PropagateIterations));
        if (_buffer.Count >= _ctx.Settings.MaxPropagationBurstSize)
        {
            Emit(now, output);
        }
        else
        {
            NextDue ??= now + _ctx.Settings.MaxPropagationBurstLatency;
        }
    }

    public void Tick(DateTimeOffset now, DisseminationOutput output)
    {
        if (NextDue is { } due && now >= due)
        {
            Emit(now, output);
        }
    }

    private void Emit(DateTimeOffset now, DisseminationOutput output)
    {
        var peers = _ctx.Peers.SelectRandom(_ctx.Settings.PropagatePeerNum, _ctx.Random, _ctx.Self);
        foreach (var pending in _buffer)
        {
            foreach (var peer in peers)
            {
                if (peer != pending.From)
                {
                    output.Sends.Add(new GossipSend(peer, pending.Message));
                }
            }
            pending.IterationsLeft--;
        }
        _buffer.RemoveAll(p => p.IterationsLeft <= 0);
        NextDue = _buffer.Count > 0 ? now + _ctx.Settings.MaxPropagationBurstLatency : null;
    }

    private sealed class Pending(GossipMessage message, PkiId from, int iterations)
    {
        public GossipMessage Message { get; } = message;
        public PkiId From { get; } = from;
        public int IterationsLeft { get; set; } = iterations;
    }
}
