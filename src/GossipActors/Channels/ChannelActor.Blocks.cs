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
    private void OnInjectBlock(InjectBlock message)
    {
        var now = Now;
        var check = _context.Verifier.Verify(message.Block, Channel, now);
        if (!check.IsValid)
        {
            _counters.BadBlock(check.Reason.ToString());
            _log.Warning("Channel {Channel}: refused injected block: {Reason}: {Detail}", Channel, check.Reason, check.Detail);
            Sender.Tell(new InjectBlockResult(Channel, check.Header?.Number ?? 0, false, $"{check.Reason}: {check.Detail}"));
            return;
        }
        var number = check.Header!.Number;
        var height = _pipeline.AcceptedHeight;
        if (number < height)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false, $"block {number} is already committed (height {height})"));
            return;
        }
        if (number - height > (ulong)_options.PayloadBufferSize)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false,
                $"block {number} is more than {_options.PayloadBufferSize} blocks ahead of height {height}"));
            return;
        }
        if (number == height && ChainRule.Check(height, _pipeline.AcceptedHash, message.Block, out _) is var chain
            && chain != LedgerAppendOutcome.Committed)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false, $"block {number} does not extend the chain: {chain}"));
            return;
        }
        Carry(_dissemination.Inject(number, message.Block.ToByteString(), now), now);
        Sender.Tell(new InjectBlockResult(Channel, number, true, number < _pipeline.AcceptedHeight ? "committed" : "buffered until the gap fills"));
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
        WriteNextBatch();
        RequestMissingBlocks(now);
    }

    private void WriteNextBatch()
    {
        if (_pipeline.TakeBatch() is { } batch)
        {
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
        _membership.OnOwnHeight(_pipeline.CommittedHeight); // published at the next publish tick (Rearm below)
        _counters.Height(_pipeline.CommittedHeight);
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
