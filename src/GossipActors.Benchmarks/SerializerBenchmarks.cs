using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Serialization;
using Google.Protobuf;

namespace GossipActors.Benchmarks;

/// <summary>A small control-plane record, allow-listed for the benchmark.</summary>
public sealed record BenchmarkStatusQuery(string Channel, int Detail, string ReplyTo) : IControlMessage;

/// <summary>
/// Round trips (ToBinary then FromBinary) through the project serializers, as Akka.Remote would run them.
/// dotnet run -c Release --project src/GossipActors.Benchmarks -- --filter '*Serializer*' --job short
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private ActorSystem _system = null!;
    private GossipWireSerializer _wire = null!;
    private Akka.Serialization.Serializer _controlPlane = null!;
    private SignedEnvelope _alive = null!;
    private Block _block = null!;
    private BenchmarkStatusQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        // As the org system registers it: Akka.Serialization.Hyperion behind the control-plane type filter.
        var config = ReferenceConfig.WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
        _system = ActorSystem.Create("bench", ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config),
            ControlPlane.Setup([typeof(BenchmarkStatusQuery)], config)));
        _wire = (GossipWireSerializer)_system.Serialization.FindSerializerForType(typeof(SignedEnvelope));
        _controlPlane = _system.Serialization.FindSerializerForType(typeof(BenchmarkStatusQuery));

        using var key = SigningKey.Generate();
        _alive = EnvelopeCodec.Sign(new GossipMessage
        {
            Nonce = 1,
            Tag = GossipTag.Empty,
            AliveMsg = new AliveMessage
            {
                Membership = new Member { Endpoint = "peer0.org1.example.com:7051", Org = "Org1MSP", PkiId = ByteString.CopyFrom(new byte[32]) },
                Timestamp = new PeerTime { IncNum = 1_700_000_000_000, SeqNum = 42 },
                Identity = ByteString.CopyFrom(new byte[150]), // a certificate: body (names, 32-byte key, validity) + 64-byte signature
            },
        }, key);
        _block = new Block
        {
            HeaderBytes = new BlockHeader { Number = 7, Channel = "mychannel", PreviousHash = ByteString.CopyFrom(new byte[32]), DataHash = ByteString.CopyFrom(new byte[32]) }.ToByteString(),
            Data = new BlockData { Transactions = { Enumerable.Range(0, 16).Select(i => ByteString.CopyFrom(new byte[4096])) } },
            Metadata = new BlockMetadata { OrdererSignature = ByteString.CopyFrom(new byte[64]), OrdererCertificate = ByteString.CopyFrom(new byte[150]) },
        };
        _query = new BenchmarkStatusQuery("mychannel", 2, "akka.ssl.tcp://org@127.0.0.1:7053/user/org-status");
        Console.WriteLine($"// sizes: alive envelope {_alive.CalculateSize()} B, block {_block.CalculateSize()} B, control record {_controlPlane.ToBinary(_query).Length} B");
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark]
    public object AliveEnvelopeRoundTrip() => _wire.FromBinary(_wire.ToBinary(_alive), GossipWireSerializer.EnvelopeManifest);

    [Benchmark]
    public object Block64KiBRoundTrip() => _wire.FromBinary(_wire.ToBinary(_block), GossipWireSerializer.BlockManifest);

    [Benchmark]
    public object ControlRecordRoundTrip() => _controlPlane.FromBinary(_controlPlane.ToBinary(_query), typeof(BenchmarkStatusQuery));
}
