using Akka.Actor;
using Akka.Event;
using Google.Protobuf;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>Blocks: injection by this peer, and committing what the cores deliver to the ledger in order.</summary>
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
        if (number < Ledger.Height)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false, $"block {number} is already committed (height {Ledger.Height})"));
            return;
        }
        if (number - Ledger.Height > (ulong)_options.PayloadBufferSize)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false,
                $"block {number} is more than {_options.PayloadBufferSize} blocks ahead of height {Ledger.Height}"));
            return;
        }
        if (number == Ledger.Height && ChainRule.Check(Ledger.Height, Ledger.LastHash, message.Block, out _) is var chain
            && chain != LedgerAppendOutcome.Committed)
        {
            Sender.Tell(new InjectBlockResult(Channel, number, false, $"block {number} does not extend the chain: {chain}"));
            return;
        }
        Carry(_dissemination.Inject(number, message.Block.ToByteString(), now), now);
        Sender.Tell(new InjectBlockResult(Channel, number, true, number < Ledger.Height ? "committed" : "buffered until the gap fills"));
    }

    /// <summary>Hands blocks new to the cores (all verified) to the committer; a new height goes out at the next publish tick.</summary>
    private void Commit(List<DataMessage> blocks, DateTimeOffset now)
    {
        var heightBefore = Ledger.Height;
        var committed = new List<Block>();
        foreach (var data in blocks)
        {
            if (!BlockVerifier.TryParse(data.Block, out var block, out _))
            {
                continue; // cannot happen: every block was verified before it reached the cores
            }
            if (_committer.Offer(block!, committed) == CommitOutcome.Rejected)
            {
                _log.Warning("Channel {Channel}: block {Number} does not extend the chain at height {Height}; dropped",
                    Channel, data.SeqNum, Ledger.Height);
            }
        }
        if (Ledger.Height == heightBefore)
        {
            return;
        }
        foreach (var block in committed)
        {
            if (BlockVerifier.TryParseHeader(block, out var header))
            {
                Context.System.EventStream.Publish(new BlockCommitted(Channel, header!.Number, _context.Identity.PkiId));
            }
        }
        _dissemination.UpdateLedgerHeight(Ledger.Height);
        _membership.OnOwnHeight(Ledger.Height); // published at the next publish tick (Carry re-arms the timer)
        _counters.Height(Ledger.Height);
    }
}
