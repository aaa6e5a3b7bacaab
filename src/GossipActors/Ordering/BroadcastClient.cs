using System.Diagnostics;
using Akka.Actor;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Content = GossipActors.Protocol.Wire.OrderingMessage.ContentOneofCase;

namespace GossipActors.Ordering;

/// <summary>What a <see cref="BroadcastClient"/> run got back.</summary>
/// <param name="ByStatus">Answers by status (ACCEPTED, OVERLOADED, ...).</param>
/// <param name="Error">Why the run stopped early (orderer unreachable, answers stopped), or null.</param>
public sealed record BroadcastReport(int Submitted, IReadOnlyDictionary<BroadcastStatus, int> ByStatus, TimeSpan Elapsed, string? Error)
{
    public int Accepted => ByStatus.GetValueOrDefault(BroadcastStatus.Accepted);
}

/// <summary>
/// Submits <c>count</c> transactions of <c>size</c> bytes to a channel at an orderer, pipelined with at most
/// <c>inFlight</c> unanswered, and completes with a <see cref="BroadcastReport"/> when every one is answered (or when
/// no answer came for <c>answerTimeout</c>). Each transaction is signed by <c>signer</c> (Ed25519, with its certificate),
/// whose organisation must be a writer of the channel. Used by <c>gossip-node submit</c>, tests and the benchmark.
/// </summary>
public sealed class BroadcastClient : ReceiveActor, IWithTimers
{
    // Its own start signal, timer tick and the outcome of resolving the orderer: they never leave the process. The
    // outcome is a record of its own, not the IActorRef or Status.Failure that PipeTo sends by default: a node that
    // holds this client's reference (its orderer, to begin with) can send it an actor reference, which a boundary
    // system accepts (Identify needs it), and must not thereby redirect the client's transactions.
    internal sealed record Start : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record Check : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record Resolved(IActorRef Orderer) : Akka.Actor.INoSerializationVerificationNeeded;

    private sealed record Unreachable(string Reason) : Akka.Actor.INoSerializationVerificationNeeded;

    private readonly NodeIdentity _signer;
    private readonly string _channel;
    private readonly int _count;
    private readonly int _size;
    private readonly int _inFlight;
    private readonly TimeSpan _answerTimeout;
    private readonly TaskCompletionSource<BroadcastReport> _done;
    private readonly Dictionary<BroadcastStatus, int> _byStatus = [];
    private readonly HashSet<ulong> _unanswered = [];
    private readonly Stopwatch _clock = new();
    private readonly byte[] _salt = Guid.NewGuid().ToByteArray();
    private IActorRef _orderer = ActorRefs.Nobody;
    private ulong _nextId;
    private TimeSpan _lastAnswer;

    public ITimerScheduler Timers { get; set; } = null!;

    public BroadcastClient(NodeIdentity signer, string ordererPath, string channel, int count, int size, int inFlight, TimeSpan answerTimeout, TaskCompletionSource<BroadcastReport> done)
    {
        _signer = signer;
        _channel = channel;
        _count = count;
        _size = Math.Max(size, 1);
        _inFlight = Math.Max(inFlight, 1);
        _answerTimeout = answerTimeout;
        _done = done;
        Receive<Start>(_ => Context.ActorSelection(ordererPath).ResolveOne(answerTimeout).PipeTo(Self,
            success: orderer => new Resolved(orderer),
            failure: ex => new Unreachable($"cannot reach the orderer at {ordererPath}: {ex.Message}")));
        Receive<Resolved>(resolved =>
        {
            _orderer = resolved.Orderer;
            _clock.Start();
            _lastAnswer = _clock.Elapsed;
            Timers.StartPeriodicTimer("check", new Check(), answerTimeout);
            Fill();
        });
        Receive<Unreachable>(unreachable => Finish(unreachable.Reason));
        Receive<OrderingEnvelope>(OnAnswer);
        Receive<Check>(_ =>
        {
            if (_clock.Elapsed - _lastAnswer > _answerTimeout)
            {
                Finish($"no answer for {_answerTimeout.TotalSeconds:F0}s with {_unanswered.Count} transactions unanswered");
            }
        });
    }

    public static Props Props(NodeIdentity signer, string ordererPath, string channel, int count, int size, int inFlight, TimeSpan answerTimeout, TaskCompletionSource<BroadcastReport> done) =>
        Akka.Actor.Props.Create(() => new BroadcastClient(signer, ordererPath, channel, count, size, inFlight, answerTimeout, done));

    private void OnAnswer(OrderingEnvelope envelope)
    {
        if (!Sender.Equals(_orderer) || !OrderingCodec.TryOpen(envelope, out var message, out _) || message!.ContentCase != Content.BroadcastResponse
            || !_unanswered.Remove(message.BroadcastResponse.Id))
        {
            return;
        }
        _lastAnswer = _clock.Elapsed;
        var status = message.BroadcastResponse.Status;
        _byStatus[status] = _byStatus.GetValueOrDefault(status) + 1;
        Fill();
        if (_nextId == (ulong)_count && _unanswered.Count == 0)
        {
            Finish(null);
        }
    }

    private void Fill()
    {
        while (_unanswered.Count < _inFlight && _nextId < (ulong)_count)
        {
            var id = _nextId++;
            _unanswered.Add(id);
            _orderer.Tell(OrderingCodec.Broadcast(_channel, id, Transaction(id), _signer));
        }
        if (_count == 0)
        {
            Finish(null);
        }
    }

    /// <summary>Unique bytes: the run's salt and the id, then filler up to the size.</summary>
    private ByteString Transaction(ulong id)
    {
        var bytes = new byte[_size];
        _salt.AsSpan(0, Math.Min(_salt.Length, _size)).CopyTo(bytes);
        if (_size >= 24)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(16), id);
        }
        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private void Finish(string? error)
    {
        Report(error);
        Context.Stop(Self);
    }

    /// <summary>Stopped before it finished (its actor system shut down: Akka.Remote does so when this client's TLS
    /// handshake is refused): the report still completes, so nobody waits for it forever.</summary>
    protected override void PostStop() => Report("the client stopped before every transaction was answered (its actor system shut down)");

    private void Report(string? error)
    {
        _clock.Stop();
        _done.TrySetResult(new BroadcastReport((int)_nextId, new Dictionary<BroadcastStatus, int>(_byStatus), _clock.Elapsed, error));
    }
}
