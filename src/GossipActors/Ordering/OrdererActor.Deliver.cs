using Akka.Actor;
using Akka.Event;
using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ordering;

/// <summary>Deliver: signed requests open a stream per client; acknowledgements move its window; idle streams are dropped.</summary>
public sealed partial class OrdererActor
{
    // Timer ticks never leave the process.
    private sealed record SweepStreams : Akka.Actor.INoSerializationVerificationNeeded
    {
        public static readonly SweepStreams Instance = new();
    }

    private readonly Dictionary<IActorRef, DeliverStream> _streams = [];
    private long _blocksSent;

    /// <summary>Guard ladder: channel → signature of the certificate's key → certificate → organisation → freshness.</summary>
    private void OnDeliverRequest(OrderingEnvelope envelope, DeliverRequest request)
    {
        var now = _time.GetUtcNow();
        var channel = request.Channel;
        if (!_chains.TryGetValue(channel, out var chain) || !_options.Channels.TryGetValue(channel, out var readers))
        {
            DenyStream(channel, DeliverStatusCode.NotFound, "UnknownChannel", $"this orderer does not serve channel '{Printable(channel)}'");
            return;
        }
        var certificate = _certificates.Verify(request.Certificate, now);
        if (!certificate.IsValid)
        {
            DenyStream(channel, DeliverStatusCode.Forbidden, "BadCertificate", certificate.Detail);
            return;
        }
        var client = certificate.Certificate!;
        if (!client.PublicKey.Verify(envelope.Payload.Span, envelope.Signature.Span))
        {
            DenyStream(channel, DeliverStatusCode.Forbidden, "BadSignature", $"the request does not verify with the key of '{client.Name}' of {client.MspId}");
            return;
        }
        if (!readers.Contains(client.MspId))
        {
            DenyStream(channel, DeliverStatusCode.Forbidden, "NotChannelMember", $"'{client.Name}' of {client.MspId} is not of an organisation of channel '{channel}'");
            return;
        }
        var age = now - DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(request.TimestampMs, (ulong)long.MaxValue / 2));
        if (age.Duration() > _options.RequestFreshness)
        {
            DenyStream(channel, DeliverStatusCode.Forbidden, "StaleRequest", $"the request of '{client.Name}' of {client.MspId} is {age.TotalSeconds:F0}s off the orderer's clock");
            return;
        }
        if (!_streams.ContainsKey(Sender) && _streams.Count >= _options.MaxDeliverStreams)
        {
            DenyStream(channel, DeliverStatusCode.Unavailable, "TooManyStreams", $"{_streams.Count} deliver streams are open (Deliver.MaxStreams)");
            return;
        }
        var stream = new DeliverStream(channel, request.Start, _options.DeliverWindow, now);
        _streams[Sender] = stream; // a new request replaces the client's stream
        _metrics.Streams(_streams.Count);
        _log.Info("Orderer: deliver stream of {Channel} from block {Start} to '{Client}' of {Org} at {Sender} (height {Height})",
            channel, request.Start, client.Name, client.MspId, Sender.Path, chain.Height);
        Pump(Sender, stream, chain);
    }

    private void OnDeliverAck(DeliverAck ack)
    {
        if (!_streams.TryGetValue(Sender, out var stream) || stream.Channel != ack.Channel)
        {
            Sender.Tell(OrderingCodec.Status(ack.Channel, DeliverStatusCode.NoStream,
                _chains.TryGetValue(ack.Channel, out var known) ? known.Height : 0, "no deliver stream for this client: request again"));
            return;
        }
        stream.OnAck(ack.HasNumber ? ack.Number : null, _time.GetUtcNow());
        var chain = _chains[stream.Channel];
        if (Pump(Sender, stream, chain) == 0 && stream.InFlight == 0)
        {
            Sender.Tell(OrderingCodec.Status(stream.Channel, DeliverStatusCode.Idle, chain.Height, ""));
        }
    }

    /// <summary>The client closed its stream (it lost leadership, or stopped): dropped at once, nothing more is sent.
    /// A cancel for a stream the client does not have (already dropped, or of another channel) changes nothing.</summary>
    private void OnDeliverCancel(DeliverCancel cancel)
    {
        if (!_streams.TryGetValue(Sender, out var stream) || stream.Channel != cancel.Channel)
        {
            return;
        }
        _streams.Remove(Sender);
        _metrics.Streams(_streams.Count);
        _metrics.StreamCancelled();
        _log.Info("Orderer: the client at {Client} closed its deliver stream of {Channel} at block {Next} ({InFlight} unacknowledged)",
            Sender.Path, stream.Channel, stream.NextToSend, stream.InFlight);
    }

    /// <summary>Sends every stream of the grown channels what its window allows.</summary>
    private void Pump(IReadOnlySet<string> grown)
    {
        if (grown.Count == 0)
        {
            return;
        }
        foreach (var channel in grown)
        {
            _metrics.Height(channel, _chains[channel].Height);
        }
        foreach (var (client, stream) in _streams)
        {
            if (grown.Contains(stream.Channel))
            {
                Pump(client, stream, _chains[stream.Channel]);
            }
        }
    }

    private int Pump(IActorRef client, DeliverStream stream, OrderingChain chain)
    {
        var (from, count) = stream.TakeSendable(chain.Height);
        for (var number = from; number < from + (ulong)count; number++)
        {
            var block = _store.Block(chain.Channel, number)!;
            client.Tell(OrderingCodec.Unsigned(new OrderingMessage
            {
                DeliverBlock = new DeliverBlock { Channel = chain.Channel, Number = number, Block = UnsafeByteOperations.UnsafeWrap(block) },
            }));
            _blocksSent++;
            _metrics.Sent(chain.Channel, block.Length);
        }
        return count;
    }

    private void OnSweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (client, stream) in _streams.Where(s => now - s.Value.LastHeard > _options.StreamIdleTimeout).ToList())
        {
            _streams.Remove(client);
            _metrics.Streams(_streams.Count);
            _log.Info("Orderer: dropped the idle deliver stream of {Channel} to {Client} (nothing heard for {Idle})", stream.Channel, client.Path, now - stream.LastHeard);
        }
    }

    private void DenyStream(string channel, DeliverStatusCode status, string reason, string detail)
    {
        _metrics.DeliverRejected(reason);
        Refuse(reason, detail);
        Sender.Tell(OrderingCodec.Status(channel, status, 0, detail));
    }
}
