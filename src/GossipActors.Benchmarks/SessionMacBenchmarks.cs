using Akka.Actor;
using BenchmarkDotNet.Attributes;
using GossipActors.Comm;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Benchmarks;

/// <summary>
/// Per-message authentication cost: the session MAC (HMAC-SHA256 under the key agreed in the handshake) against an
/// Ed25519 signature, on a small connection-level message (a data digest, as sent dozens of times per block) and on
/// a data message carrying a 4 KiB block. Seal/Open are what comm does per envelope (clone + tag; tag + counter).
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*SessionMac*' --job short
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- mac-vs-signature   (paired, load-robust)
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SessionMacBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private CertificateAuthority _ca = null!;
    private NodeIdentity _peer = null!;
    private Session _sender = null!;
    private Session _receiver = null!;
    private SignedEnvelope _digest = null!;
    private SignedEnvelope _block = null!;
    private SignedEnvelope _signedDigest = null!;
    private SignedEnvelope _signedBlock = null!;
    private SignedEnvelope _sealedDigest = null!;
    private SignedEnvelope _sealedBlock = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ca = CertificateAuthority.Create("Org1", Now.AddDays(-1), Now.AddDays(365));
        _peer = NodeIdentity.Issue(_ca, "peer0.org1", NodeRole.Peer, Now.AddDays(-1), Now.AddDays(365));
        using var a = EphemeralKey.Create();
        using var b = EphemeralKey.Create();
        var identity = PeerIdentityInfo.From(_peer.Certificate);
        _sender = new Session(SessionKeys.Agree(a, b.Public, true, _peer.PkiId, _peer.PkiId, "akka.tcp://gossip@10.0.0.1:7051/user/peer/comm",
            "akka.tcp://gossip@10.0.0.2:7051/user/peer/comm")!, true, identity, ActorRefs.Nobody, 0, Now);
        _receiver = new Session(SessionKeys.Agree(b, a.Public, false, _peer.PkiId, _peer.PkiId, "akka.tcp://gossip@10.0.0.1:7051/user/peer/comm",
            "akka.tcp://gossip@10.0.0.2:7051/user/peer/comm")!, false, identity, ActorRefs.Nobody, 0, Now);
        var digest = new GossipMessage { Channel = "mychannel", Tag = GossipTag.ChanAndOrg, DataDigest = new DataDigest { SeqNum = 1042, DigestTtl = 5 } };
        var block = new GossipMessage
        {
            Channel = "mychannel",
            Tag = GossipTag.ChanAndOrg,
            DataMsg = new DataMessage { SeqNum = 1042, Block = ByteString.CopyFrom(new byte[4096]), PushTtl = 1, DigestTtl = 5 },
        };
        _digest = EnvelopeCodec.Unsigned(digest);
        _block = EnvelopeCodec.Unsigned(block);
        _signedDigest = EnvelopeCodec.Sign(digest, _peer.Key);
        _signedBlock = EnvelopeCodec.Sign(block, _peer.Key);
        _sealedDigest = _sender.Seal(_digest);
        _sealedBlock = _sender.Seal(_block);
        Console.WriteLine($"// digest payload {_digest.Payload.Length} bytes, data message payload {_block.Payload.Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver.Dispose();
        _peer.Dispose();
        _ca.Dispose();
    }

    [Benchmark(Baseline = true, Description = "digest: Ed25519 sign")]
    public byte[] DigestSign() => _peer.Key.Sign(_digest.Payload.Span);

    [Benchmark(Description = "digest: Ed25519 verify")]
    public bool DigestVerify() => EnvelopeCodec.VerifySignature(_signedDigest, _peer.Key.PublicKey);

    [Benchmark(Description = "digest: MAC seal (clone + HMAC)")]
    public SignedEnvelope DigestSeal() => _sender.Seal(_digest);

    [Benchmark(Description = "digest: MAC open (HMAC + counter)")]
    public Session.Check DigestOpen() => OpenAgain(_sealedDigest);

    [Benchmark(Description = "4 KiB block: Ed25519 sign")]
    public byte[] BlockSign() => _peer.Key.Sign(_block.Payload.Span);

    [Benchmark(Description = "4 KiB block: Ed25519 verify")]
    public bool BlockVerify() => EnvelopeCodec.VerifySignature(_signedBlock, _peer.Key.PublicKey);

    [Benchmark(Description = "4 KiB block: MAC seal (clone + HMAC)")]
    public SignedEnvelope BlockSeal() => _sender.Seal(_block);

    [Benchmark(Description = "4 KiB block: MAC open (HMAC + counter)")]
    public Session.Check BlockOpen() => OpenAgain(_sealedBlock);

    /// <summary>Opens the same sealed envelope again: the MAC is verified in full; the counter check then says Replayed
    /// (its cost is one comparison), so this measures the verification itself.</summary>
    private Session.Check OpenAgain(SignedEnvelope sealedEnvelope) => _receiver.Open(sealedEnvelope, Now);

    internal Action[] Pairs() =>
    [
        () => DigestSign(), () => DigestSeal(),
        () => DigestVerify(), () => DigestOpen(),
        () => BlockSign(), () => BlockSeal(),
        () => BlockVerify(), () => BlockOpen(),
    ];
}
