using Akka.Actor;
using Akka.Event;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Ordering;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Content = GossipActors.Protocol.Wire.OrderingMessage.ContentOneofCase;

namespace GossipActors.Delivery;

/// <summary>
/// A channel's delivery client (/user/peer/channel-&lt;name&gt;/delivery). Dormant until the channel tells it this
/// peer leads its org (or always active when block gossip is off); then it asks the channel its ledger height, opens
/// a signed deliver stream at the orderer from that height, verifies each block (orderer signature, channel, number)
/// and hands it to the channel (the inject path), acknowledging each block the channel took, which moves the
/// orderer's window. Silence for twice connTimeout, a refused stream or a bad block makes it reconnect with backoff
/// (trying the next orderer) from the ledger height; after reconnectTotalTimeThreshold it tells the channel
/// <see cref="OrdererUnreachable"/>. Losing leadership makes it dormant again and closes its stream at the orderer
/// (<see cref="DeliverCancel"/>), so the orderer stops sending at once; so do giving up a stream and stopping.
/// </summary>
public sealed class DeliveryActor : ReceiveActor, IWithTimers
{
    private sealed record Connect(int Epoch) : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record Resolved(int Epoch, IActorRef Orderer) : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record ResolveFailed(int Epoch, string Reason) : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record KeepAlive : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly KeepAlive Instance = new();
    }

    private readonly string _channel;
    private readonly NodeIdentity _identity;
    private readonly BlockVerifier _verifier;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ReconnectBackoff _backoff;
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _active;
    private int _epoch;
    private int _endpoint;
    private bool _awaitingHeight;
    private IActorRef? _orderer;
    private bool _connected;
    private ulong _next;
    private ulong? _lastAcked;
    private DateTimeOffset _lastHeard;
    private long _received;
    private long _reconnects;

    public ITimerScheduler Timers { get; set; } = null!;

    public DeliveryActor(string channel, NodeIdentity identity, BlockVerifier verifier, DeliveryOptions options, TimeProvider time)
    {
        _channel = channel;
        _identity = identity;
        _verifier = verifier;
        _options = options;
        _time = time;
        _backoff = new ReconnectBackoff(options.ReConnectBackoffThreshold, options.ReconnectTotalTimeThreshold);

        Receive<LeadershipChanged>(OnLeadership);
        Receive<Connect>(m => OnConnect(m.Epoch));
        Receive<ChannelStatus>(OnHeight);
        Receive<Resolved>(OnResolved);
        Receive<ResolveFailed>(m => Fail(m.Epoch, "Unreachable", m.Reason));
        Receive<OrderingEnvelope>(OnEnvelope);
        Receive<InjectBlockResult>(OnInjected);
        Receive<KeepAlive>(_ => OnKeepAlive());
        Receive<GetDeliveryStatus>(_ => Sender.Tell(new DeliveryStatus(_active, _connected, _active ? CurrentEndpoint : "", _next,
            _received, _reconnects, new Dictionary<string, long>(_rejected, StringComparer.Ordinal))));
    }

    public static Props Props(string channel, NodeIdentity identity, BlockVerifier verifier, DeliveryOptions options, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new DeliveryActor(channel, identity, verifier, options, time));

    private string CurrentEndpoint => _options.Orderers[_endpoint % _options.Orderers.Count];

    private void OnLeadership(LeadershipChanged change)
    {
        var pull = change.IsLeader || _options.AlwaysPull;
        if (pull == _active)
        {
            return;
        }
        _active = pull;
        if (pull)
        {
            _log.Info("Delivery {Channel}: pulling blocks from the ordering service ({Why})", _channel, change.IsLeader ? "we lead our org" : "block gossip is off");
            _backoff.OnConnected();
            Self.Tell(new Connect(++_epoch));
        }
        else
        {
            _log.Info("Delivery {Channel}: leadership lost; stopped pulling at block {Next} and closed the deliver stream", _channel, _next);
            Disconnect();
            Timers.CancelAll();
        }
    }

    /// <summary>Step 1 of (re)connecting: learn the ledger height from the channel.</summary>
    private void OnConnect(int epoch)
    {
        if (!_active || epoch != _epoch)
        {
            return;
        }
        _awaitingHeight = true;
        Context.Parent.Tell(new GetChannelStatus(_channel));
    }

    /// <summary>Step 2: resolve the orderer's actor (bounded by connTimeout).</summary>
    private void OnHeight(ChannelStatus status)
    {
        if (!_active || !_awaitingHeight)
        {
            return;
        }
        _awaitingHeight = false;
        _next = status.Height;
        var epoch = _epoch;
        var path = OrdererNode.ActorPath(CurrentEndpoint, _options.Protocol);
        Context.ActorSelection(path).ResolveOne(_options.ConnTimeout).PipeTo(Self,
            success: orderer => new Resolved(epoch, orderer),
            failure: ex => new ResolveFailed(epoch, $"cannot reach {path}: {ex.Message}"));
    }

    /// <summary>Step 3: open the stream from the ledger height; silence is watched from now on.</summary>
    private void OnResolved(Resolved resolved)
    {
        if (!_active || resolved.Epoch != _epoch)
        {
            return;
        }
        _orderer = resolved.Orderer;
        _lastAcked = null;
        _lastHeard = _time.GetUtcNow();
        _orderer.Tell(OrderingCodec.DeliverRequest(_channel, _next, _identity, _lastHeard));
        Timers.StartPeriodicTimer("keepalive", KeepAlive.Instance, _options.ConnTimeout);
    }

    private void OnEnvelope(OrderingEnvelope envelope)
    {
        if (!_active || _orderer is null || !Sender.Equals(_orderer))
        {
            return; // a stream we gave up (stale blocks in flight) or not from our orderer
        }
        if (!OrderingCodec.TryOpen(envelope, out var message, out var error))
        {
            Fail(_epoch, "Malformed", error!);
            return;
        }
        _lastHeard = _time.GetUtcNow();
        if (!_connected)
        {
            _connected = true;
            _backoff.OnConnected();
            _log.Info("Delivery {Channel}: connected to the orderer at {Endpoint} from block {Next}", _channel, CurrentEndpoint, _next);
        }
        switch (message!.ContentCase)
        {
            case Content.DeliverBlock:
                OnBlock(message.DeliverBlock);
                break;
            case Content.DeliverStatus:
                OnStatus(message.DeliverStatus);
                break;
            default:
                Fail(_epoch, "UnexpectedKind", $"the orderer sent {message.ContentCase}");
                break;
        }
    }

    private void OnBlock(DeliverBlock delivered)
    {
        if (delivered.Channel != _channel || delivered.Number != _next)
        {
            if (delivered.Channel == _channel && delivered.Number < _next)
            {
                return; // left over from a replaced stream
            }
            Fail(_epoch, "OutOfOrder", $"expected block {_next} of {_channel}, got block {delivered.Number} of '{delivered.Channel}'");
            return;
        }
        var now = _time.GetUtcNow();
        if (!BlockVerifier.TryParse(delivered.Block, out var block, out var parseError))
        {
            Fail(_epoch, nameof(BlockRejection.Malformed), parseError!);
            return;
        }
        var check = _verifier.Verify(block!, _channel, now);
        if (!check.IsValid || check.Header!.Number != delivered.Number)
        {
            Fail(_epoch, check.IsValid ? "NumberMismatch" : check.Reason.ToString(),
                check.IsValid ? $"block {delivered.Number} carries header number {check.Header!.Number}" : check.Detail);
            return;
        }
        _next++;
        _received++;
        Context.Parent.Tell(new VerifiedBlock(_channel, delivered.Number, block!, delivered.Block));
    }

    /// <summary>The channel took (or already had) a block: acknowledge it, which lets the orderer send one more.</summary>
    private void OnInjected(InjectBlockResult result)
    {
        if (!_active || _orderer is null)
        {
            return;
        }
        if (!result.Accepted)
        {
            // Already committed (e.g. by state transfer) or no longer fitting the ledger: restart from the height.
            _log.Info("Delivery {Channel}: block {Number} not taken ({Detail}); resuming from the ledger height", _channel, result.Number, result.Detail);
            Resync();
            return;
        }
        if (_lastAcked is null || result.Number > _lastAcked)
        {
            _lastAcked = result.Number;
            _orderer.Tell(OrderingCodec.Ack(_channel, result.Number));
        }
    }

    private void OnStatus(DeliverStatus status)
    {
        switch (status.Status)
        {
            case DeliverStatusCode.Idle:
                break;
            case DeliverStatusCode.NoStream:
                _log.Info("Delivery {Channel}: the orderer has no stream for us (restarted?); requesting again", _channel);
                Resync();
                break;
            default:
                Fail(_epoch, status.Status.ToString(), status.Info);
                break;
        }
    }

    private void OnKeepAlive()
    {
        if (!_active || _orderer is null)
        {
            return;
        }
        var silent = _time.GetUtcNow() - _lastHeard;
        if (silent > _options.ConnTimeout * 2)
        {
            Fail(_epoch, "Silent", $"nothing from the orderer for {silent.TotalSeconds:F1}s");
            return;
        }
        _orderer.Tell(OrderingCodec.Ack(_channel, _lastAcked));
    }

    /// <summary>Requests again from the ledger height at once, without counting a failure.</summary>
    private void Resync()
    {
        Disconnect();
        Self.Tell(new Connect(_epoch));
    }

    private void Fail(int epoch, string reason, string detail)
    {
        if (!_active || epoch != _epoch)
        {
            return;
        }
        _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
        var endpoint = CurrentEndpoint;
        Disconnect();
        _reconnects++;
        _endpoint++;
        var (delay, unreachable) = _backoff.OnFailure(_time.GetUtcNow());
        _log.Warning("Delivery {Channel}: orderer {Endpoint}: {Reason}: {Detail}; reconnecting to {Next} in {Delay}",
            _channel, endpoint, reason, detail, CurrentEndpoint, delay);
        if (unreachable is { } down)
        {
            Context.Parent.Tell(new OrdererUnreachable(_channel, down));
        }
        Timers.StartSingleTimer("reconnect", new Connect(_epoch), delay);
    }

    protected override void PostStop() => CancelStream();

    /// <summary>Gives up the current stream: the orderer is told to close it, and later blocks of it are ignored.</summary>
    private void Disconnect()
    {
        CancelStream();
        _epoch++;
        _orderer = null;
        _connected = false;
        _awaitingHeight = false;
        Timers.Cancel("keepalive");
    }

    /// <summary>Tells the orderer we opened a stream at to close it (no answer expected; lost if the orderer is gone,
    /// which then drops the stream when it goes idle).</summary>
    private void CancelStream()
    {
        _orderer?.Tell(OrderingCodec.Cancel(_channel));
    }
}
