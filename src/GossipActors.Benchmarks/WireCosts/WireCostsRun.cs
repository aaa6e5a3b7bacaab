using System.Globalization;
using Google.Protobuf;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// The per-message costs the simulator's CPU and byte model takes as parameters, measured on this machine:
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- wire-costs [--block-bytes 4096] [--messages 20000]</c>.
/// Prints the figures and the matching <c>gossip-node simulate dissemination</c> options.
/// </summary>
internal static class WireCostsRun
{
    public static async Task<int> Run(string[] args)
    {
        var blockBytes = BenchmarkArgs.Int(args, "--block-bytes", 4096);
        var messages = BenchmarkArgs.Int(args, "--messages", 20_000);
        var cpu = MessageCpuCosts.Measure(blockBytes);
        var now = DateTimeOffset.UtcNow;
        using var ca = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
        using var orderer = NodeIdentity.Issue(ca, "orderer0", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
        using var key = SigningKey.Generate();
        var control = EnvelopeCodec.Sign(new GossipMessage
        {
            Nonce = 1, Channel = "bench", Tag = GossipTag.ChanAndOrg, DataDigest = new DataDigest { SeqNum = 1234, DigestTtl = 3 },
        }, key);
        var block = BlockFactory.Create("bench", 7, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFrom(new byte[blockBytes])], orderer);
        var data = EnvelopeCodec.Unsigned(new GossipMessage
        {
            Channel = "bench", Tag = GossipTag.ChanAndOrg, DataMsg = new DataMessage { SeqNum = 7, Block = block.ToByteString() },
        });
        var (controlBurst, dataBurst, ping, overhead) = await AkkaRemotePair.Measure(control, data, messages, trips: 2_000);

        // Akka's cost per message as a line through the two sizes: fixed part plus a part per KiB.
        var perKiB = Math.Max(0, (dataBurst.CpuUsPerMessage - controlBurst.CpuUsPerMessage) / ((dataBurst.EnvelopeBytes - controlBurst.EnvelopeBytes) / 1024.0));
        var fixedUs = Math.Max(0, controlBurst.CpuUsPerMessage - perKiB * controlBurst.EnvelopeBytes / 1024.0);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine($"Environment: {Environment.ProcessorCount} cores, .NET {Environment.Version}; other processes may load the machine.");
        Console.WriteLine();
        Console.WriteLine("| cost | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(c, $"| Ed25519 sign + encode of a signed control envelope ({cpu.ControlEnvelopeBytes} B) | {cpu.SignUs:F1} µs |"));
        Console.WriteLine(string.Create(c, $"| Ed25519 verify of that envelope | {cpu.VerifyUs:F1} µs |"));
        Console.WriteLine(string.Create(c, $"| decode of a control envelope + payload | {cpu.DecodeControlUs:F2} µs |"));
        Console.WriteLine(string.Create(c, $"| decode of a data envelope ({cpu.DataEnvelopeBytes} B) | {cpu.DecodeDataUs:F2} µs |"));
        Console.WriteLine(string.Create(c, $"| block verification (orderer signature over the header, data hash) | {cpu.BlockVerifyUs:F1} µs |"));
        Console.WriteLine(string.Create(c, $"| Akka.Remote burst, {controlBurst.EnvelopeBytes} B envelopes | {controlBurst.MessagesPerSecond:F0} msg/s, {controlBurst.CpuUsPerMessage:F1} µs CPU/msg |"));
        Console.WriteLine(string.Create(c, $"| Akka.Remote burst, {dataBurst.EnvelopeBytes} B envelopes | {dataBurst.MessagesPerSecond:F0} msg/s, {dataBurst.CpuUsPerMessage:F1} µs CPU/msg |"));
        Console.WriteLine(string.Create(c, $"| Akka.Remote per message (fit) | {fixedUs:F1} µs + {perKiB:F1} µs/KiB (sender + receiver) |"));
        Console.WriteLine(string.Create(c, $"| loopback one-way latency, idle ping-pong ({ping.RoundTrips} trips) | p10 {ping.OneWayP10Ms:F3} / p50 {ping.OneWayP50Ms:F3} / p90 {ping.OneWayP90Ms:F3} ms |"));
        Console.WriteLine(string.Create(c, $"| Akka.Remote frame overhead (length, envelope, paths, serializer id, manifest) | {overhead} B |"));
        Console.WriteLine();
        Console.WriteLine("Simulator options:");
        Console.WriteLine(string.Create(c,
            $"  --sign-us {cpu.SignUs:F1} --verify-us {cpu.VerifyUs:F1} --decode-us {cpu.DecodeControlUs:F1} --block-verify-us {cpu.BlockVerifyUs:F1} " +
            $"--akka-us {fixedUs:F1} --akka-us-per-kib {perKiB:F1} --frame-overhead {overhead}"));
        return 0;
    }
}
