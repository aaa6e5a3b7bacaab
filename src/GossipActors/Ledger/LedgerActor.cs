using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using System.Diagnostics;

namespace GossipActors.Ledger;

/// <summary>
/// The channel's ledger (/user/peer/channel-&lt;name&gt;/ledger): all disk work of the channel, off the channel
/// actor's thread, so a slow disk never delays gossip. It writes the batches the channel actor's
/// <see cref="CommitPipeline"/> hands it (one transaction each) and reports the new height; it serves
/// state-transfer requests by reading the blocks and sending the response through comm itself. It owns the ledger
/// and disposes it when it stops. A disk error escalates to the channel actor, which restarts and reopens the ledger
/// at its last committed block.
/// </summary>
public sealed class LedgerActor : ReceiveActor
{
    private readonly IBlockLedger _ledger;
    private readonly IActorRef _comm;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public LedgerActor(IBlockLedger ledger, IActorRef comm)
    {
        _ledger = ledger;
        _comm = comm;
        Receive<WriteBlocks>(OnWrite);
        Receive<ServeRange>(OnServe);
    }

    public static Props Props(IBlockLedger ledger, IActorRef comm) =>
        Akka.Actor.Props.Create(() => new LedgerActor(ledger, comm));

    protected override void PostStop() => _ledger.Dispose();

    private void OnWrite(WriteBlocks message)
    {
        var started = Stopwatch.GetTimestamp();
        var written = _ledger.AppendBatch(message.Blocks);
        if (written < message.Blocks.Count)
        {
            _log.Error("Ledger {Channel}: wrote {Written} of {Count} blocks; block {Number} does not extend the chain at height {Height}",
                _ledger.Channel, written, message.Blocks.Count, message.Blocks[written].Number, _ledger.Height);
        }
        Sender.Tell(new BlocksWritten(_ledger.Height, _ledger.LastHash, written, Stopwatch.GetElapsedTime(started)));
    }

    private void OnServe(ServeRange message)
    {
        // The stored bytes go straight from SQLite into their place in the response's payload (one copy, no decode).
        var sizes = _ledger.RangeSizes(message.From, message.To, message.MaxBytes);
        var header = new GossipMessage { Nonce = message.Nonce, Channel = _ledger.Channel, Tag = GossipTag.ChanOnly };
        var payload = StateResponseEncoder.Encode(header, message.From, sizes, slots => _ledger.CopyRange(message.From, slots));
        // Unsigned: each block carries the orderer's signature, and comm accepts the response only on the
        // requester's handshaken connection to us (as it does data messages and pull responses).
        _comm.Tell(new SendTo(message.Requester, EnvelopeCodec.Unsigned(payload)));
        Sender.Tell(new RangeServed(message.Requester, sizes.Count));
    }
}
