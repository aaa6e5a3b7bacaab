using Akka.Actor;
using GossipActors.Comm;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Comm;

public sealed class SessionCryptoTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private (Session Initiator, Session Responder) Pair(string initiatorAddress = "a", string responderAddress = "b",
        string? responderSeesInitiatorAt = null)
    {
        var alice = _pki.Peer("Org1", "alice");
        var bob = _pki.Peer("Org1", "bob");
        using var a = EphemeralKey.Create();
        using var b = EphemeralKey.Create();
        var initiatorKeys = SessionKeys.Agree(a, b.Public, weInitiated: true, alice.PkiId, bob.PkiId, initiatorAddress, responderAddress)!;
        var responderKeys = SessionKeys.Agree(b, a.Public, weInitiated: false, alice.PkiId, bob.PkiId,
            responderSeesInitiatorAt ?? initiatorAddress, responderAddress)!;
        var now = TestPki.Now;
        return (new Session(initiatorKeys, true, PeerIdentityInfo.From(bob.Certificate), ActorRefs.Nobody, 0, now),
            new Session(responderKeys, false, PeerIdentityInfo.From(alice.Certificate), ActorRefs.Nobody, 0, now));
    }

    private static SignedEnvelope Hello(ulong nonce) => EnvelopeCodec.Unsigned(new GossipMessage { Hello = new GossipHello { Nonce = nonce } });

    [Fact]
    public void Both_sides_of_a_handshake_agree_the_same_session_and_each_direction_verifies()
    {
        var (initiator, responder) = Pair();

        Assert.Equal(initiator.Id, responder.Id);
        Assert.Equal(Session.Check.Valid, responder.Open(initiator.Seal(Hello(1)), TestPki.Now));
        Assert.Equal(Session.Check.Valid, initiator.Open(responder.Seal(Hello(2)), TestPki.Now));
    }

    [Fact]
    public void A_session_agreed_for_other_addresses_does_not_verify()
    {
        var (initiator, responder) = Pair(responderSeesInitiatorAt: "somewhere-else");

        Assert.Equal(Session.Check.BadMac, responder.Open(initiator.Seal(Hello(1)), TestPki.Now));
    }

    [Fact]
    public void A_replayed_or_reordered_counter_is_refused_and_a_tampered_payload_fails_the_mac()
    {
        var (initiator, responder) = Pair();
        var first = initiator.Seal(Hello(1));
        var second = initiator.Seal(Hello(2));

        Assert.Equal(Session.Check.Valid, responder.Open(second, TestPki.Now));
        Assert.Equal(Session.Check.Replayed, responder.Open(first, TestPki.Now));
        Assert.Equal(Session.Check.Replayed, responder.Open(second, TestPki.Now));

        var tampered = initiator.Seal(Hello(3));
        tampered.Payload = Hello(4).Payload;
        Assert.Equal(Session.Check.BadMac, responder.Open(tampered, TestPki.Now));
        var ownDirection = initiator.Seal(Hello(5));
        Assert.Equal(Session.Check.BadMac, initiator.Open(ownDirection, TestPki.Now)); // a reflected envelope fails
    }

    [Fact]
    public void An_unusable_ephemeral_key_agrees_nothing()
    {
        var alice = _pki.Peer("Org1", "alice");
        using var own = EphemeralKey.Create();

        Assert.Null(SessionKeys.Agree(own, new byte[5], true, alice.PkiId, alice.PkiId, "a", "b"));
        Assert.Null(SessionKeys.Agree(own, new byte[32], true, alice.PkiId, alice.PkiId, "a", "b")); // the all-zero (low-order) point
    }

    [Fact]
    public void Stripping_removes_the_hop_authentication_and_keeps_payload_and_signature()
    {
        var (initiator, _) = Pair();
        var signed = new SignedEnvelope { Payload = ByteString.CopyFromUtf8("p"), Signature = ByteString.CopyFromUtf8("s") };

        var stripped = Session.Strip(initiator.Seal(signed));

        Assert.Equal(signed, stripped);
    }
}
