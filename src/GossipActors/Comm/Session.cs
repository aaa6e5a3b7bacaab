using Akka.Actor;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Comm;

/// <summary>
/// One authenticated session with a peer, agreed in a signed handshake: the peer's verified identity, its comm actor,
/// and the two directional MAC keys with their counters. Every envelope sent under it carries the session id, a
/// strictly increasing counter and the MAC; every one received must carry a counter above the last one accepted
/// (Akka.Remote keeps the order between two actors), so a recorded envelope cannot be replayed. Single owner.
/// </summary>
public sealed class Session : IDisposable
{
    private readonly SessionMac _send;
    private readonly SessionMac _receive;
    private ulong _sendCounter;
    private ulong _lastReceived;

    public Session(SessionKeys keys, bool weInitiated, PeerIdentityInfo peer, IActorRef remote, long peerHandshakeUnixMs, DateTimeOffset now)
    {
        Id = ByteString.CopyFrom(keys.Id);
        Peer = peer;
        Remote = remote;
        PeerHandshakeUnixMs = peerHandshakeUnixMs;
        CreatedAt = now;
        LastActive = now;
        _send = new SessionMac(weInitiated ? keys.InitiatorToResponder : keys.ResponderToInitiator);
        _receive = new SessionMac(weInitiated ? keys.ResponderToInitiator : keys.InitiatorToResponder);
    }

    public ByteString Id { get; }
    public PeerIdentityInfo Peer { get; }
    public IActorRef Remote { get; }

    /// <summary>The timestamp the peer signed into its handshake of this session: a later handshake supersedes it.</summary>
    public long PeerHandshakeUnixMs { get; }

    public DateTimeOffset CreatedAt { get; }
    public DateTimeOffset LastActive { get; private set; }

    /// <summary>Envelopes received under this session that count for flow control (all but acknowledgements).</summary>
    public ulong Received { get; set; }

    /// <summary>Set when the session table evicted or forgot it: nothing is sent or accepted under it any more.</summary>
    public bool Closed { get; private set; }

    /// <summary>A copy of <paramref name="envelope"/> (payload, signature and secret shared, not copied) with this hop's MAC.</summary>
    public SignedEnvelope Seal(SignedEnvelope envelope)
    {
        var sealedCopy = envelope.Clone();
        sealedCopy.SessionId = Id;
        sealedCopy.SessionCounter = ++_sendCounter;
        sealedCopy.SessionMac = UnsafeByteOperations.UnsafeWrap(_send.Compute(Id.Span, _sendCounter, envelope.Payload.Span));
        return sealedCopy;
    }

    public enum Check { Valid, BadMac, Replayed }

    /// <summary>Verifies the MAC and the counter of an envelope that names this session; a valid one advances the counter.</summary>
    public Check Open(SignedEnvelope envelope, DateTimeOffset now)
    {
        if (!_receive.Verify(Id.Span, envelope.SessionCounter, envelope.Payload.Span, envelope.SessionMac.Span))
        {
            return Check.BadMac;
        }
        if (envelope.SessionCounter <= _lastReceived)
        {
            return Check.Replayed;
        }
        _lastReceived = envelope.SessionCounter;
        LastActive = now;
        return Check.Valid;
    }

    internal void Close()
    {
        if (!Closed)
        {
            Closed = true;
            _send.Dispose();
            _receive.Dispose();
        }
    }

    public void Dispose() => Close();

    /// <summary>The envelope without any hop authentication (what subscribers keep and forwarders send on).</summary>
    public static SignedEnvelope Strip(SignedEnvelope envelope)
    {
        if (envelope.SessionId.IsEmpty && envelope.SessionMac.IsEmpty && envelope.SessionCounter == 0)
        {
            return envelope;
        }
        var copy = envelope.Clone();
        copy.SessionId = ByteString.Empty;
        copy.SessionMac = ByteString.Empty;
        copy.SessionCounter = 0;
        return copy;
    }
}
