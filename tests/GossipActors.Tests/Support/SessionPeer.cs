using Akka.Actor;
using Akka.TestKit;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Support;

/// <summary>
/// A remote comm actor played by a test probe, with real handshakes and session MACs: it can open a session with a
/// comm actor (<see cref="Initiate"/>), answer the handshake a comm actor sends it (<see cref="AnswerHandshake"/>), and
/// send envelopes under its session, well-formed or not. The hostile tests use it to act as a peer that holds a valid
/// certificate.
/// </summary>
public sealed class SessionPeer(TestProbe probe, NodeIdentity identity, IActorRef target, Func<DateTimeOffset> now)
{
    public TestProbe Probe { get; } = probe;
    public NodeIdentity Identity { get; } = identity;
    public Session? Session { get; private set; }

    public string Address => AddressOf(Probe.Ref);

    public static string AddressOf(IActorRef actor)
    {
        var path = Akka.Serialization.Serialization.SerializedActorPath(actor);
        var hash = path.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? path : path[..hash];
    }

    /// <summary>Sends a handshake to the target, takes its answer, and holds the session agreed.</summary>
    public Session Initiate()
    {
        using var ephemeral = EphemeralKey.Create();
        target.Tell(Handshake.Create(Identity, Address, AddressOf(target), now(), ephemeral.Public, answering: null), Probe.Ref);
        var answer = ExpectHandshake();
        Assert.False(answer.Conn.ReplyRequested);
        Assert.Equal(ephemeral.Public, answer.Conn.PeerEphemeralKey.ToByteArray());
        var keys = SessionKeys.Agree(ephemeral, answer.Conn.EphemeralKey.Span, weInitiated: true, Identity.PkiId,
            PkiId.FromByteString(answer.Conn.PkiId), Address, AddressOf(target))!;
        Session = new Session(keys, weInitiated: true, PeerIdentityInfo.From(Identity.Certificate), target, answer.Conn.TimestampUnixMs, now());
        return Session;
    }

    /// <summary>Takes the handshake the target sent this probe and answers it; holds the session agreed.</summary>
    public Session AnswerHandshake(NodeIdentity? signAs = null)
    {
        var asked = ExpectHandshake();
        Assert.True(asked.Conn.ReplyRequested);
        using var ephemeral = EphemeralKey.Create();
        var signer = signAs ?? Identity;
        target.Tell(Handshake.Create(signer, Address, AddressOf(target), now(), ephemeral.Public, answering: asked.Conn.EphemeralKey), Probe.Ref);
        var keys = SessionKeys.Agree(ephemeral, asked.Conn.EphemeralKey.Span, weInitiated: false, PkiId.FromByteString(asked.Conn.PkiId),
            signer.PkiId, AddressOf(target), Address)!;
        Session = new Session(keys, weInitiated: false, PeerIdentityInfo.From(signer.Certificate), target, asked.Conn.TimestampUnixMs, now());
        return Session;
    }

    /// <summary>Sends under the session (sealed with the next counter).</summary>
    public void Send(SignedEnvelope envelope) => target.Tell(Session!.Seal(envelope), Probe.Ref);

    public void Send(GossipMessage message) => Send(EnvelopeCodec.Unsigned(message));

    /// <summary>Acknowledges <paramref name="received"/> envelopes, under the session.</summary>
    public void Acknowledge(ulong received) => Send(new GossipMessage { Ack = new CommAck { Received = received } });

    /// <summary>The next envelope from the target under the session (its MAC must verify), skipping acknowledgements and
    /// any handshake.</summary>
    public GossipMessage ExpectUnderSession()
    {
        while (true)
        {
            var envelope = Probe.ExpectMsg<SignedEnvelope>();
            if (envelope.SessionId.IsEmpty && GossipMessage.Parser.ParseFrom(envelope.Payload).ContentCase == GossipMessage.ContentOneofCase.Conn)
            {
                continue;
            }
            Assert.Equal(Session!.Id, envelope.SessionId);
            Assert.Equal(Session.Check.Valid, Session.Open(envelope, now()));
            var message = GossipMessage.Parser.ParseFrom(envelope.Payload);
            if (message.ContentCase != GossipMessage.ContentOneofCase.Ack)
            {
                return message;
            }
        }
    }

    public GossipMessage ExpectHandshake()
    {
        var envelope = Probe.ExpectMsg<SignedEnvelope>();
        var message = GossipMessage.Parser.ParseFrom(envelope.Payload);
        Assert.Equal(GossipMessage.ContentOneofCase.Conn, message.ContentCase);
        return message;
    }
}
