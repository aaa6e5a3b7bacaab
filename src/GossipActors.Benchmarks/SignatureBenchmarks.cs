using BenchmarkDotNet.Attributes;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using NSec.Cryptography;

namespace GossipActors.Benchmarks;

/// <summary>
/// The cost of signing and opening a realistic alive message (about 300 bytes, carrying the peer's certificate).
/// Acceptance: <see cref="EnvelopeVerify"/> costs at most 1.2x <see cref="NSecRawVerify"/>.
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*Signature*' --job short
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SignatureBenchmarks
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private CertificateAuthority _ca = null!;
    private NodeIdentity _peer = null!;
    private CertificateVerifier _verifier = null!;
    private GossipMessage _message = null!;
    private SignedEnvelope _envelope = null!;
    private byte[] _envelopeBytes = null!;
    private byte[] _payload = null!;
    private byte[] _signature = null!;
    private PublicKey _nsecPublicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        _ca = CertificateAuthority.Create("Org1", Now.AddDays(-1), Now.AddDays(365));
        _peer = NodeIdentity.Issue(_ca, "peer0.org1", NodeRole.Peer, Now.AddDays(-1), Now.AddDays(365));
        _verifier = new CertificateVerifier([_ca.Certificate]);
        _message = new GossipMessage
        {
            Nonce = 0x1234_5678_9ABC,
            Tag = GossipTag.Empty,
            AliveMsg = new AliveMessage
            {
                Membership = new Member
                {
                    Endpoint = "peer0.org1.example.com:7051",
                    Org = "Org1",
                    PkiId = _peer.PkiId.ToByteString(),
                    Metadata = ByteString.CopyFromUtf8("{\"ledgerHeight\":1042,\"chaincodes\":[\"basic\"]}"),
                },
                Timestamp = new PeerTime { IncNum = 1_717_243_200_000_000_000, SeqNum = 4711 },
                Identity = _peer.Certificate.Bytes,
            },
        };
        _envelope = EnvelopeCodec.Sign(_message, _peer.Key);
        _envelopeBytes = _envelope.ToByteArray();
        _payload = _envelope.Payload.ToByteArray();
        _signature = _envelope.Signature.ToByteArray();
        _nsecPublicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, _peer.Key.PublicKey.ExportRaw(), KeyBlobFormat.RawPublicKey);
        Console.WriteLine($"// alive payload {_payload.Length} bytes, envelope {_envelopeBytes.Length} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _peer.Dispose();
        _ca.Dispose();
    }

    [Benchmark(Baseline = true, Description = "NSec raw Ed25519 verify")]
    public bool NSecRawVerify() => SignatureAlgorithm.Ed25519.Verify(_nsecPublicKey, _payload, _signature);

    [Benchmark(Description = "EnvelopeCodec.VerifySignature")]
    public bool EnvelopeVerify() => EnvelopeCodec.VerifySignature(_envelope, _peer.Certificate.PublicKey);

    [Benchmark(Description = "Sign payload (SigningKey.Sign)")]
    public byte[] Sign() => _peer.Key.Sign(_payload);

    [Benchmark(Description = "Envelope encode (serialize + sign)")]
    public SignedEnvelope EnvelopeEncode() => EnvelopeCodec.Sign(_message, _peer.Key);

    [Benchmark(Description = "Envelope decode (parse envelope + payload)")]
    public GossipMessage? EnvelopeDecode()
    {
        var envelope = SignedEnvelope.Parser.ParseFrom(_envelopeBytes);
        return EnvelopeCodec.TryParsePayload(envelope, out var message, out _) ? message : null;
    }

    [Benchmark(Description = "Certificate check (cached signature)")]
    public bool CachedCertificateCheck() => _verifier.Verify(_peer.Certificate.Bytes, Now).IsValid;
}
