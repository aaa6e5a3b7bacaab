using System.Diagnostics;
using Google.Protobuf;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// CPU per gossip message outside Akka: Ed25519 sign and verify of a control message (a digest), decode of a control
/// message and of a data message, and the verification of a block (orderer signature over the header, data hash).
/// Median of alternating rounds, timed in the thread's CPU time (on Linux) so that other processes loading the machine
/// do not inflate the figures; elsewhere in wall time.
/// </summary>
internal static class MessageCpuCosts
{
    public sealed record Figures(double SignUs, double VerifyUs, double DecodeControlUs, double DecodeDataUs, double BlockVerifyUs,
        int ControlEnvelopeBytes, int DataEnvelopeBytes);

    public static Figures Measure(int blockBytes, int rounds = 40, int perRound = 200)
    {
        var now = DateTimeOffset.UtcNow;
        using var org = CertificateAuthority.Create("Org1", now.AddDays(-1), now.AddDays(1));
        using var ordererCa = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
        using var peer = NodeIdentity.Issue(org, "peer0.org1", NodeRole.Peer, now.AddDays(-1), now.AddDays(1));
        using var orderer = NodeIdentity.Issue(ordererCa, "orderer0.ordererorg", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
        var blockVerifier = new BlockVerifier(new CertificateVerifier([org.Certificate, ordererCa.Certificate]), new HashSet<string> { "OrdererOrg" });

        var control = SampleControl();
        var controlEnvelope = EnvelopeCodec.Sign(control, peer.Key);
        var controlBytes = controlEnvelope.ToByteArray();
        var block = BlockFactory.Create("bench", 7, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFrom(new byte[blockBytes])], orderer);
        var data = new GossipMessage { Channel = "bench", Tag = GossipTag.ChanAndOrg, DataMsg = new DataMessage { SeqNum = 7, Block = block.ToByteString() } };
        var dataBytes = EnvelopeCodec.Unsigned(data).ToByteArray();

        var work = new (string Name, Func<bool> Run)[]
        {
            ("sign", () => EnvelopeCodec.Sign(control, peer.Key).Signature.Length == 64),
            ("verify", () => EnvelopeCodec.VerifySignature(controlEnvelope, peer.Certificate.PublicKey)),
            ("decode control", () => EnvelopeCodec.TryParsePayload(SignedEnvelope.Parser.ParseFrom(controlBytes), out _, out _)),
            ("decode data", () => EnvelopeCodec.TryParsePayload(SignedEnvelope.Parser.ParseFrom(dataBytes), out _, out _)),
            ("block verify", () => blockVerifier.Verify(data.DataMsg.Block, "bench", now).IsValid),
        };
        foreach (var (_, run) in work)
        {
            for (var i = 0; i < 2_000; i++)
            {
                if (!run())
                {
                    throw new InvalidOperationException("a warm-up step failed");
                }
            }
        }
        var times = work.Select(_ => new List<double>(rounds)).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < work.Length; k++)
            {
                var index = (k + round) % work.Length;
                times[index].Add(Time(work[index].Run, perRound));
            }
        }
        double Median(int k) => times[k].Order().ElementAt(times[k].Count / 2);
        return new Figures(Median(0), Median(1), Median(2), Median(3), Median(4), controlBytes.Length, dataBytes.Length);
    }

    /// <summary>A digest, as enhanced mode sends them: a typical signed control message.</summary>
    private static GossipMessage SampleControl() => new()
    {
        Nonce = 0x1234_5678,
        Channel = "bench",
        Tag = GossipTag.ChanAndOrg,
        DataDigest = new DataDigest { SeqNum = 1234, DigestTtl = 3 },
    };

    private static double Time(Func<bool> run, int count)
    {
        var ok = true;
        var cpu = ThreadCpuClock.IsAvailable;
        var startCpu = cpu ? ThreadCpuClock.NowUs() : 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            ok &= run();
        }
        watch.Stop();
        var us = cpu ? ThreadCpuClock.NowUs() - startCpu : watch.Elapsed.TotalMicroseconds;
        return ok ? us / count : throw new InvalidOperationException("a timed step failed");
    }
}
