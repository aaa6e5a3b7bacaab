using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Discovery;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;
using PeerTime = GossipActors.Protocol.Wire.PeerTime;

namespace GossipActors.Tests.Comm;

public sealed class InboundGuardTests : IDisposable
{
    private readonly TestPki _pki = new();
    private readonly InboundGuard _guard;
    private readonly NodeIdentity _alice;
    private readonly NodeIdentity _bob;

    public InboundGuardTests()
    {
        _guard = new InboundGuard(_pki.Verifier, new IdentityStore(), maxMessageSize: 64 * 1024);
        _alice = _pki.Peer("Org1", "peer0.org1");
        _bob = _pki.Peer("Org1", "peer1.org1");
    }

    public void Dispose() => _pki.Dispose();

    private GuardVerdict Check(SignedEnvelope envelope, PeerIdentityInfo? connection = null) => _guard.Check(envelope, connection, TestPki.Now);

    /// <summary>An alive carrying Alice's certificate and signed by her, claiming the given PKI-ID and org.</summary>
    private SignedEnvelope AliceSignedAlive(ByteString claimedPkiId, string claimedOrg) => EnvelopeCodec.Sign(new GossipMessage
    {
        AliveMsg = new AliveMessage
        {
            Membership = new Member { Endpoint = "a:1", PkiId = claimedPkiId, Org = claimedOrg },
            Timestamp = new PeerTime { IncNum = 1, SeqNum = 1 },
            Identity = _alice.Certificate.Bytes,
        },
    }, _alice.Key);

    private static Rejection ReasonOf(GuardVerdict verdict) => Assert.IsType<GuardVerdict.Rejected>(verdict).Reason;

    [Fact]
    public void Valid_alive_is_accepted_and_its_identity_learned()
    {
        var verdict = Assert.IsType<GuardVerdict.Accepted>(Check(AliveEnvelope.Create(_alice, "a:1", null, 1, 1)));
        Assert.Equal(_alice.PkiId, verdict.Sender.PkiId);
        Assert.True(_guard.Identities.TryGet(_alice.PkiId, out _));
    }

    [Fact]
    public void Forged_alive_with_a_bad_signature_is_rejected_as_BadSignature()
    {
        var envelope = AliveEnvelope.Create(_alice, "a:1", null, 1, 1);
        envelope.Signature = ByteString.CopyFrom(_bob.Key.Sign(envelope.Payload.Span));
        Assert.Equal(Rejection.BadSignature, ReasonOf(Check(envelope)));
    }

    [Fact]
    public void Replayed_alive_with_an_older_sequence_is_Stale_and_the_same_one_again_is_a_Duplicate()
    {
        var old = AliveEnvelope.Create(_alice, "a:1", null, 1, 4);
        Assert.IsType<GuardVerdict.Accepted>(Check(old));
        Assert.IsType<GuardVerdict.Accepted>(Check(AliveEnvelope.Create(_alice, "a:1", null, 1, 5)));
        Assert.Equal(Rejection.Stale, ReasonOf(Check(old)));
        Assert.IsType<GuardVerdict.Duplicate>(Check(AliveEnvelope.Create(_alice, "a:1", null, 1, 5)));
    }

    [Fact]
    public void Newer_incarnation_with_a_lower_sequence_is_fresh()
    {
        Assert.IsType<GuardVerdict.Accepted>(Check(AliveEnvelope.Create(_alice, "a:1", null, 1, 90)));
        Assert.IsType<GuardVerdict.Accepted>(Check(AliveEnvelope.Create(_alice, "a:1", null, 2, 1)));
    }

    [Fact]
    public void Alive_claiming_another_peers_PkiId_is_rejected_as_PkiIdMismatch()
    {
        Assert.Equal(Rejection.PkiIdMismatch, ReasonOf(Check(AliceSignedAlive(claimedPkiId: _bob.PkiId.ToByteString(), claimedOrg: "Org1"))));
    }

    [Fact]
    public void Alive_from_an_untrusted_org_is_rejected_as_BadCertificate()
    {
        var stranger = _pki.Stranger();
        var verdict = Assert.IsType<GuardVerdict.Rejected>(Check(AliveEnvelope.Create(stranger, "e:1", null, 1, 1)));
        Assert.Equal(Rejection.BadCertificate, verdict.Reason);
        Assert.Contains("UnknownOrganisation", verdict.Detail);
    }

    [Fact]
    public void Alive_with_an_expired_certificate_is_rejected_as_BadCertificate()
    {
        var expired = _pki.Peer("Org1", "old.org1", notAfter: TestPki.Now.AddMinutes(-1));
        var verdict = Assert.IsType<GuardVerdict.Rejected>(Check(AliveEnvelope.Create(expired, "o:1", null, 1, 1)));
        Assert.Equal(Rejection.BadCertificate, verdict.Reason);
        Assert.Contains("Expired", verdict.Detail);
    }

    [Fact]
    public void Alive_claiming_another_org_than_its_certificate_is_rejected_as_OrgMismatch()
    {
        Assert.Equal(Rejection.OrgMismatch, ReasonOf(Check(AliceSignedAlive(claimedPkiId: _alice.PkiId.ToByteString(), claimedOrg: "Org2"))));
    }

    [Fact]
    public void Oversize_envelope_is_rejected_before_parsing()
    {
        var envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(new byte[70 * 1024]) };
        Assert.Equal(Rejection.Oversize, ReasonOf(Check(envelope)));
    }

    [Fact]
    public void Garbage_payload_is_rejected_as_Malformed()
    {
        var envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(0xFF, 0xFF, 0xFF, 0x01) };
        Assert.Equal(Rejection.Malformed, ReasonOf(Check(envelope)));
    }

    [Fact]
    public void Connection_level_message_without_a_session_is_rejected_as_NoHandshake_even_when_signed()
    {
        var hello = new GossipMessage { Channel = "ch1", Hello = new GossipHello { Nonce = 1 } };
        Assert.Equal(Rejection.NoHandshake, ReasonOf(Check(EnvelopeCodec.Sign(hello, _alice.Key))));
        Assert.Equal(Rejection.NoHandshake, ReasonOf(Check(EnvelopeCodec.Unsigned(hello))));
    }

    [Fact]
    public void Connection_level_message_is_attributed_to_the_peer_of_its_session_and_to_no_one_else()
    {
        var hello = new GossipMessage { Channel = "ch1", Hello = new GossipHello { Nonce = 1 } };
        var session = PeerIdentityInfo.From(_alice.Certificate);

        var verdict = Assert.IsType<GuardVerdict.Accepted>(Check(EnvelopeCodec.Sign(hello, _bob.Key), session));

        Assert.Equal(_alice.PkiId, verdict.Sender.PkiId);
    }

    [Fact]
    public void Statements_for_a_channel_not_joined_here_are_rejected_before_they_leave_any_version_behind()
    {
        var guard = new InboundGuard(_pki.Verifier, new IdentityStore(), 64 * 1024, channel => channel == "ch1");
        Assert.IsType<GuardVerdict.Accepted>(guard.Check(AliveEnvelope.Create(_bob, "b:1", null, 1, 1), null, TestPki.Now));
        var before = guard.FreshnessEntries;

        for (var i = 0; i < 1000; i++)
        {
            var info = new GossipMessage
            {
                Channel = "made-up-" + i,
                StateInfo = new StateInfo { PkiId = _bob.PkiId.ToByteString(), LedgerHeight = 3, Timestamp = new PeerTime { IncNum = 1, SeqNum = 1 } },
            };
            Assert.Equal(Rejection.UnknownChannel, ReasonOf(guard.Check(EnvelopeCodec.Sign(info, _bob.Key), null, TestPki.Now)));
        }

        Assert.Equal(before, guard.FreshnessEntries);
    }

    [Fact]
    public void Alive_versions_are_kept_under_no_channel_whatever_channel_the_sender_writes()
    {
        var before = _guard.FreshnessEntries;
        for (var i = 0; i < 100; i++)
        {
            var message = new GossipMessage
            {
                Channel = "made-up-" + i,
                AliveMsg = new AliveMessage
                {
                    Membership = new Member { Endpoint = "a:1", PkiId = _alice.PkiId.ToByteString(), Org = "Org1" },
                    Timestamp = new PeerTime { IncNum = 1, SeqNum = (ulong)i + 1 },
                    Identity = _alice.Certificate.Bytes,
                },
            };
            Assert.IsType<GuardVerdict.Accepted>(Check(EnvelopeCodec.Sign(message, _alice.Key)));
        }
        Assert.Equal(before + 1, _guard.FreshnessEntries);
    }

    [Fact]
    public void State_info_from_a_peer_whose_identity_is_unknown_is_rejected_as_UnknownIdentity()
    {
        var info = new GossipMessage
        {
            Channel = "ch1",
            StateInfo = new StateInfo { PkiId = _bob.PkiId.ToByteString(), LedgerHeight = 3, Timestamp = new PeerTime { IncNum = 1, SeqNum = 1 } },
        };
        Assert.Equal(Rejection.UnknownIdentity, ReasonOf(Check(EnvelopeCodec.Sign(info, _bob.Key))));
        Assert.IsType<GuardVerdict.Accepted>(Check(AliveEnvelope.Create(_bob, "b:1", null, 1, 1)));
        Assert.IsType<GuardVerdict.Accepted>(Check(EnvelopeCodec.Sign(info, _bob.Key)));
    }

    [Fact]
    public void Membership_request_embedding_another_peers_alive_is_rejected_as_spoofed()
    {
        var request = new GossipMessage { MemReq = new MembershipRequest { SelfInformation = AliveEnvelope.Create(_bob, "b:1", null, 1, 1) } };
        Assert.Equal(Rejection.SpoofedMembershipRequest, ReasonOf(Check(EnvelopeCodec.Sign(request, _alice.Key))));
    }

    [Fact]
    public void Membership_request_embedding_the_senders_own_alive_is_accepted()
    {
        var request = new GossipMessage { MemReq = new MembershipRequest { SelfInformation = AliveEnvelope.Create(_alice, "a:1", null, 1, 1) } };
        var verdict = Assert.IsType<GuardVerdict.Accepted>(Check(EnvelopeCodec.Sign(request, _alice.Key), PeerIdentityInfo.From(_alice.Certificate)));
        Assert.Equal(_alice.PkiId, verdict.Sender.PkiId);
    }
}
