using Akka.Actor;
using Akka.Event;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Channels;

/// <summary>
/// Blocks: injection by this peer, and committing: verified blocks go through the <see cref="CommitPipeline"/> (in
/// order, chain-checked) to the ledger actor, which writes them off this thread and reports back.
/// </summary>
public sealed partial class ChannelActor
{
    private readonly BlockLatencyRing _recentBlocks = new();
    private List<(ulong Number, ulong CutUnixMs)> _writing = [];

    private void OnInjectBlock(InjectBlock message)
    {
        var now = Now;
        _counters.OrdererBlock();
        var check = _context.Verifier.Verify(message.Block, Channel, now);
        if (!check.IsValid)
        {
            _counters.BadBlock(check.Reason.ToString());
            _log.Warning("Channel {Channel}: refused injected block: {Reason}: {Detail}", Channel, check.Reason, check.Detail);
            Sender.Tell(new InjectBlockResult(Channel, check.Header?.Number ?? 0, false, $"{check.Reason}: {check.Detail}"));
            return;
        }
        Sender.Tell(Take(message.Block, message.Block.ToByteString(), check.Header!.Number, now));
    }

    /// <summary>A block our delivery child verified: taken without verifying it again; from anyone else, refused.</summary>
    private void OnVerifiedBlock(Delivery.VerifiedBlock message)
    {
        if (_delivery is null || !Sender.Equals(_delivery) || message.Channel != Channel)
        {
            _counters.Rejected(ChannelRejection.NotFromDelivery);
            _log.Warning("Channel {Channel}: refused a verified block {Number} from {Sender}: only this channel's delivery child hands those over",
                Channel, message.Number, Sender);
            Sender.Tell(new InjectBlockResult(Channel, message.Number, false, "a verified block is taken only from this channel's delivery child"));
            return;
        }
        Sender.Tell(Take(message.Block, message.Bytes, message.Number, Now));
    }

    /// <summary>A verified block brought in by this peer: checked against the height and chain, then injected into gossip.</summary>
    private InjectBlockResult Take(Block block, ByteString bytes, ulong number, DateTimeOffset now)
    {
        var height = _pipeline.AcceptedHeight;
        if (number < height)
        {
            return new InjectBlockResult(Channel, number, false, $"block {number} is already committed (height {height})");
        }
        if (number - height > (ulong)_options.PayloadBufferSize)
        {
            return new InjectBlockResult(Channel, number, false,
                $"block {number} is more than {_options.PayloadBufferSize} blocks ahead of height {height}");
        }
        if (number == height && ChainRule.Check(height, _pipeline.AcceptedHash, block, out _) is var chain
            && chain != LedgerAppendOutcome.Committed)
        {
            return new InjectBlockResult(Channel, number, false, $"block {number} does not extend the chain: {chain}");
        }
        Carry(_dissemination.Inject(number, bytes, now), now);
        return new InjectBlockResult(Channel, number, true, number < _pipeline.AcceptedHeight ? "committed" : "buffered until the gap fills");
    }

    /// <summary>Hands blocks new to the cores (all verified) to the commit pipeline.</summary>
    private void Commit(List<DataMessage> blocks, DateTimeOffset now)
    {
        foreach (var data in blocks)
        {
            if (!BlockVerifier.TryParse(data.Block, out var block, out _) || LedgerBlock.From(block!, data.Block) is not { } ledgerBlock)
            {
                continue; // cannot happen: every block was verified before it reached the cores
            }
            Offer(ledgerBlock, source: null);
        }
        AfterOffers(now);
    }

    /// <summary>Offers one verified block; a chain break is logged, and its sender (if known) excluded from state transfer.</summary>
    private void Offer(LedgerBlock block, PkiId? source)
    {
        var breaks = new List<ChainBreak>();
        _pipeline.Offer(block, source, breaks);
        foreach (var broken in breaks)
        {
            _log.Warning("Channel {Channel}: block {Number} from {Source} does not extend the chain at height {Height}; dropped",
                Channel, broken.Number, broken.Source?.ToString() ?? "gossip", _pipeline.AcceptedHeight);
            if (broken.Source is { } sender)
            {
                _counters.BadBlock("OutOfChain");
                _stateTransfer.OnBadSender(sender, null);
            }
        }
    }

    /// <summary>After blocks were offered: gossip learns what we have; the next batch goes to the ledger.</summary>
    private void AfterOffers(DateTimeOffset now)
    {
        _dissemination.UpdateLedgerHeight(_pipeline.AcceptedHeight);
        _counters.PayloadBuffer(_pipeline.Buffered);
        WriteNextBatch();
        RequestMissingBlocks(now);
    }

    private void WriteNextBatch()
    {
        if (_pipeline.TakeBatch() is { } batch)
        {
            _writing = [.. batch.Select(b => (b.Number, b.CutUnixMs))];
            _ledger.Tell(new WriteBlocks(batch));
        }
    }

    /// <summary>The ledger wrote a batch: announce the commits, note our new height for state info, write the next batch.</summary>
    private void OnBlocksWritten(BlocksWritten written)
    {
        var now = Now;
        var before = _pipeline.CommittedHeight;
        _pipeline.OnWritten(written.Height, written.LastHash);
        for (var number = before; number < _pipeline.CommittedHeight; number++)
        {
            Context.System.EventStream.Publish(new BlockCommitted(Channel, number, _context.Identity.PkiId));
        }
        foreach (var (number, cut) in _writing)
        {
            if (number >= before && number < _pipeline.CommittedHeight)
            {
                _recentBlocks.Record(number, cut, now);
            }
        }
        _writing = [];
        _membership.OnOwnHeight(_pipeline.CommittedHeight); // published at the next publish tick (Rearm below)
        _counters.Height(_pipeline.CommittedHeight);
        if (written.Written > 0)
        {
            _counters.Committed(written.Took);
        }
        if (_catchUp.OnCommitted(_pipeline.CommittedHeight, now) is { } caughtUp)
        {
            _log.Info(caughtUp);
        }
        WriteNextBatch();
        if (!_left)
        {
            RequestMissingBlocks(now);
            Rearm(now);
        }
    }
}
