using Akka.Actor;
using Akka.Event;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Prometheus;
using Content = GossipActors.Protocol.Wire.OrderingMessage.ContentOneofCase;

namespace GossipActors.Ordering;

/// <summary>
/// The solo ordering node's one reachable actor (/user/orderer). Broadcast: guard (channel, size, load), persist the
/// accepted transactions of a mailbox turn in one SQLite write, acknowledge them, then order them (cut, seal, store).
/// Deliver: one flow-controlled stream per client (<see cref="DeliverStream"/>), fed from the store. Bad input is
/// refused, counted by reason and logged with its sender; nothing from the network throws out of this actor.
/// </summary>
public sealed partial class OrdererActor : ReceiveActor, IWithTimers
{
    // Timer ticks never leave the process.
    private sealed record Flush : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly Flush Instance = new();
    }

    private sealed record CutTick : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly CutTick Instance = new();
    }

    private readonly record struct Submitted(IActorRef Client, ulong Id, string Channel, ByteString Transaction);

    private readonly OrdererOptions _options;
    private readonly OrdererStore _store;
    private readonly CertificateVerifier _certificates;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, OrderingChain> _chains = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly List<Submitted> _toPersist = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly OrdererMetrics _metrics;
    private long _accepted;
    private readonly long _recovered;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="openStore">Opens the store; called on every (re)start, the store is disposed on stop.</param>
    /// <param name="metrics">The node's Prometheus registry (/metrics); a private one when null.</param>
    public OrdererActor(NodeIdentity identity, CertificateVerifier certificates, OrdererOptions options, Func<OrdererStore> openStore, TimeProvider time,
        CollectorRegistry? metrics = null)
    {
        _options = options;
        _metrics = new OrdererMetrics(metrics ?? Metrics.NewCustomRegistry(), options.Channels.Keys);
        _certificates = certificates;
        _time = time;
        _store = openStore();
        var now = time.GetUtcNow();
        foreach (var channel in options.Channels.Keys)
        {
            var chain = new OrderingChain(channel, options.Batch, _store, identity, now);
            _chains[channel] = chain;
            _metrics.Height(channel, chain.Height);
            if (chain.Recovered > 0)
            {
                _log.Info("Orderer: channel {Channel}: {Count} accepted transactions recovered from before the restart", channel, chain.Recovered);
            }
        }

        _recovered = _chains.Values.Sum(c => (long)c.Recovered);
        Receive<OrderingEnvelope>(OnEnvelope);
        Receive<Flush>(_ => OnFlush());
        Receive<CutTick>(_ => OnCutTick());
        Receive<SweepStreams>(_ => OnSweep());
        Receive<GetOrdererStatus>(_ => Sender.Tell(new OrdererStatus(
            _chains.ToDictionary(c => c.Key, c => c.Value.Height, StringComparer.Ordinal),
            new Dictionary<string, long>(_rejected, StringComparer.Ordinal), _accepted, _recovered, _streams.Count, _blocksSent,
            _toPersist.Count + _chains.Values.Sum(c => c.Cutter.PendingCount))));
    }

    public static Props Props(NodeIdentity identity, CertificateVerifier certificates, OrdererOptions options, Func<OrdererStore> openStore, TimeProvider time,
        CollectorRegistry? metrics = null) =>
        Akka.Actor.Props.Create(() => new OrdererActor(identity, certificates, options, openStore, time, metrics));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("sweep", SweepStreams.Instance, _options.StreamIdleTimeout / 2);
        Rearm();
    }

    protected override void PostStop() => _store.Dispose();

    private void OnEnvelope(OrderingEnvelope envelope)
    {
        if (!OrderingCodec.TryOpen(envelope, out var message, out var error))
        {
            _metrics.EnvelopeRejected("Malformed");
            Refuse("Malformed", error!);
            return;
        }
        switch (message!.ContentCase)
        {
            case Content.Broadcast:
                OnBroadcast(envelope, message.Broadcast);
                break;
            case Content.DeliverRequest:
                OnDeliverRequest(envelope, message.DeliverRequest);
                break;
            case Content.DeliverAck:
                OnDeliverAck(message.DeliverAck);
                break;
            case Content.DeliverCancel:
                OnDeliverCancel(message.DeliverCancel);
                break;
            default:
                _metrics.EnvelopeRejected("UnexpectedKind");
                Refuse("UnexpectedKind", $"an orderer does not take {message.ContentCase}");
                break;
        }
    }

    private void OnBroadcast(OrderingEnvelope envelope, BroadcastTransaction broadcast)
    {
        var (status, reason, info) = Admit(envelope, broadcast);
        if (status != BroadcastStatus.Accepted)
        {
            _metrics.BroadcastRejected(reason);
            Refuse(reason, info);
            Sender.Tell(OrderingCodec.BroadcastAnswer(broadcast.Id, status, info));
            return;
        }
        if (_toPersist.Count == 0)
        {
            Self.Tell(Flush.Instance); // after every broadcast already in the mailbox: one disk write for all of them
        }
        _toPersist.Add(new Submitted(Sender, broadcast.Id, broadcast.Channel, broadcast.Transaction));
    }

    /// <summary>
    /// Guard ladder: channel → size → signer (certificate, signature over the envelope's payload, writer organisation
    /// of the channel) → load. Returns the answer's status, the reason counted, and the detail logged and answered.
    /// </summary>
    private (BroadcastStatus Status, string Reason, string Info) Admit(OrderingEnvelope envelope, BroadcastTransaction broadcast)
    {
        if (!_chains.ContainsKey(broadcast.Channel))
        {
            return Refused(BroadcastStatus.UnknownChannel, $"this orderer does not serve channel '{Printable(broadcast.Channel)}'");
        }
        if (broadcast.Transaction.IsEmpty)
        {
            return Refused(BroadcastStatus.EmptyTransaction, "the transaction is empty");
        }
        if (broadcast.Transaction.Length > _options.Batch.AbsoluteMaxBytes)
        {
            return Refused(BroadcastStatus.TooLarge, $"the transaction has {broadcast.Transaction.Length} bytes, above BatchSize.AbsoluteMaxBytes ({_options.Batch.AbsoluteMaxBytes})");
        }
        if (envelope.Signature.IsEmpty || broadcast.Certificate.IsEmpty)
        {
            return (BroadcastStatus.Forbidden, "Unsigned", "the transaction is not signed by a certified client (signature and certificate required)");
        }
        var certificate = _certificates.Verify(broadcast.Certificate, _time.GetUtcNow());
        if (!certificate.IsValid)
        {
            return (BroadcastStatus.Forbidden, "BadCertificate", certificate.Detail);
        }
        var client = certificate.Certificate!;
        if (!client.PublicKey.Verify(envelope.Payload.Span, envelope.Signature.Span))
        {
            return (BroadcastStatus.Forbidden, "BadSignature", $"the transaction does not verify with the key of '{client.Name}' of {client.MspId}");
        }
        var writers = _options.WritersOf(broadcast.Channel);
        if (!writers.Contains(client.MspId))
        {
            return (BroadcastStatus.Forbidden, "NotWriter",
                $"'{client.Name}' of {client.MspId} is not of a writer organisation of channel '{broadcast.Channel}' ({string.Join(", ", writers.Order(StringComparer.Ordinal))})");
        }
        if (_toPersist.Count >= _options.MaxPendingTransactions)
        {
            return Refused(BroadcastStatus.Overloaded, $"{_toPersist.Count} transactions are waiting to be written (General.MaxPendingTransactions); retry later");
        }
        return (BroadcastStatus.Accepted, "", "");

        static (BroadcastStatus, string, string) Refused(BroadcastStatus status, string info) => (status, status.ToString(), info);
    }

    /// <summary>Persists what this mailbox turn accepted (one SQLite write), acknowledges it, then orders it.</summary>
    private void OnFlush()
    {
        if (_toPersist.Count == 0)
        {
            return;
        }
        var batch = _toPersist.ToList();
        _toPersist.Clear();
        var persisted = _store.Persist([.. batch.Select(s => (s.Channel, s.Transaction))]);
        _accepted += batch.Count;
        foreach (var submitted in batch)
        {
            submitted.Client.Tell(OrderingCodec.BroadcastAnswer(submitted.Id, BroadcastStatus.Accepted, ""));
            _metrics.Accepted(submitted.Channel);
        }
        var now = _time.GetUtcNow();
        var grown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (channel, transaction) in persisted)
        {
            if (_chains[channel].Order(transaction, now) > 0)
            {
                grown.Add(channel);
            }
        }
        Pump(grown);
        Rearm();
    }

    private void OnCutTick()
    {
        var now = _time.GetUtcNow();
        var grown = _chains.Values.Where(chain => chain.Tick(now)).Select(chain => chain.Channel).ToHashSet(StringComparer.Ordinal);
        Pump(grown);
        Rearm();
    }

    /// <summary>Arms the batch timer for the earliest pending batch of any channel.</summary>
    private void Rearm()
    {
        var due = _chains.Values.Select(c => c.Cutter.NextDue).Where(d => d is not null).Min();
        if (due is null)
        {
            Timers.Cancel("cut");
            return;
        }
        var delay = due.Value - _time.GetUtcNow();
        Timers.StartSingleTimer("cut", CutTick.Instance, delay > TimeSpan.FromMilliseconds(1) ? delay : TimeSpan.FromMilliseconds(1));
    }

    private void Refuse(string reason, string detail)
    {
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
        _log.Warning("Orderer: refused a request from {Sender}: {Reason}: {Detail}", Sender.Path, reason, detail);
    }

    private static string Printable(string text) =>
        new((text.Length > 64 ? text[..64] + "..." : text).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
