using GossipActors.Comm;
using GossipActors.Discovery;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;
using PeerTime = GossipActors.Protocol.Wire.PeerTime;

namespace GossipActors.Tests.Comm;

/// <summary>
/// Property-style: random bytes, and valid envelopes with random mutations, through every parse and check of the
/// inbound path. None may throw, whatever the bytes. Seeded, so a failure reproduces.
/// </summary>
public sealed class InboundTotalityTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Handshake_binding_check_is_total_for_every_timestamp_including_the_extremes()
    {
        var random = new Random(8);
        var timestamps = new[] { long.MinValue, long.MaxValue, 0L, -1L, 253402300800000L, -62135596800001L }
            .Concat(Enumerable.Range(0, 1000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)));
        foreach (var timestamp in timestamps)
        {
            var handshake = new ConnectionHandshake { TimestampUnixMs = timestamp, EphemeralKey = ByteString.CopyFrom(new byte[32]) };
            Assert.NotNull(Handshake.CheckBinding(handshake, "a", "b", TestPki.Now));
        }
    }

    [Fact]
    public void A_validly_signed_but_malformed_secret_is_no_internal_endpoint_not_an_exception()
    {
        var alice = _pki.Peer("Org1", "alice");
        var random = new Random(8);
        for (var i = 0; i < 500; i++)
        {
            var garbage = new byte[random.Next(1, 64)];
            random.NextBytes(garbage);
            var envelope = AliveEnvelope.Create(alice, "alice:1", null, 1, 1);
            envelope.SecretEnvelope = new SecretEnvelope
            {
                Payload = ByteString.CopyFrom(garbage),
                Signature = ByteString.CopyFrom(alice.Key.Sign(garbage)),
            };
            _ = EnvelopeCodec.InternalEndpoint(envelope, alice.Certificate.PublicKey); // must not throw
        }
    }

    [Fact]
    public void Random_and_mutated_envelopes_never_make_the_guard_throw()
    {
        var alice = _pki.Peer("Org1", "alice");
        var guard = new InboundGuard(_pki.Verifier, new IdentityStore(10), 64 * 1024, _ => true);
        var sessionPeer = PeerIdentityInfo.From(alice.Certificate);
        var random = new Random(8);
        var seeds = SeedEnvelopes(alice).Select(e => e.ToByteArray()).ToList();

        for (var i = 0; i < 5000; i++)
        {
            var bytes = i % 5 == 0 ? RandomBytes(random) : Mutate(seeds[random.Next(seeds.Count)], random);
            SignedEnvelope envelope;
            try
            {
                envelope = SignedEnvelope.Parser.ParseFrom(bytes); // what the wire serializer would hand comm
            }
            catch (InvalidProtocolBufferException)
            {
                envelope = new SignedEnvelope { Payload = ByteString.CopyFrom(bytes) }; // bytes as a payload instead
            }
            _ = guard.Check(envelope, i % 2 == 0 ? sessionPeer : null, TestPki.Now);
            _ = EnvelopeCodec.InternalEndpoint(envelope, alice.Certificate.PublicKey);
            if (EnvelopeCodec.TryParsePayload(envelope, out var message, out _) && message!.ContentCase == GossipMessage.ContentOneofCase.Conn)
            {
                _ = Handshake.CheckBinding(message.Conn, "a", "b", TestPki.Now);
            }
        }
    }

    private static IEnumerable<SignedEnvelope> SeedEnvelopes(GossipActors.Crypto.NodeIdentity alice)
    {
        using var ephemeral = EphemeralKey.Create();
        yield return AliveEnvelope.Create(alice, "alice:1", "alice-internal:1", 1, 1);
        yield return Handshake.Create(alice, "a", "b", TestPki.Now, ephemeral.Public, answering: null);
        yield return EnvelopeCodec.Sign(new GossipMessage { Channel = "ch", StateInfo = new StateInfo { PkiId = alice.PkiId.ToByteString(), Timestamp = new PeerTime { IncNum = 1, SeqNum = 1 } } }, alice.Key);
        yield return EnvelopeCodec.Sign(new GossipMessage { MemReq = new MembershipRequest { SelfInformation = AliveEnvelope.Create(alice, "alice:1", null, 1, 2) } }, alice.Key);
        yield return EnvelopeCodec.Unsigned(new GossipMessage { Channel = "ch", DataDigest = new DataDigest { SeqNum = 7, DigestTtl = 63 } });
        yield return EnvelopeCodec.Unsigned(new GossipMessage { MemRes = new MembershipResponse { Alive = { AliveEnvelope.Create(alice, "alice:1", null, 1, 3) } } });
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 512)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        var flips = random.Next(1, 8);
        for (var f = 0; f < flips && bytes.Length > 0; f++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }
        return random.Next(4) == 0 && bytes.Length > 1 ? bytes[..random.Next(1, bytes.Length)] : bytes;
    }
}
