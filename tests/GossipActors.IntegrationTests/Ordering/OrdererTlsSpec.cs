using System.CommandLine;
using Akka.Actor;
using Akka.Configuration;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.IntegrationTests.Support;
using GossipActors.Node;
using GossipActors.Ordering;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.IntegrationTests.Ordering;

/// <summary>
/// The orderer with mutual TLS from its configuration (orderer.General.TLS.*, defaults: the files cryptogen writes in
/// its own directory), and `gossip-node submit --msp DIR`: a client holding a peer org's TLS certificate submits; a
/// client whose certificate no configured CA issued exchanges no message with the orderer.
/// </summary>
public sealed class OrdererTlsSpec : Akka.TestKit.Xunit2.TestKit
{
    private const string Channel = "mychannel";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "orderer-tls-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private OrdererNode? _orderer;

    public OrdererTlsSpec() : base("akka.test.timefactor = 2")
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1", "Org2"], 1, "OrdererOrg", now, TimeSpan.FromDays(1));
        // Same names, other CAs: a certificate of "Org1" that none of the orderer's TLS CAs issued.
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "elsewhere"), ["Org1"], 1, "OrdererOrg", now, TimeSpan.FromDays(1));
    }

    protected override void Dispose(bool disposing)
    {
        _orderer?.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(20));
        base.Dispose(disposing);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>The orderer as `gossip-node orderer` starts it, from a configuration with TLS left at its defaults.</summary>
    private OrdererNode StartOrderer(int port)
    {
        var localMspDir = Path.Combine(_root, "crypto", "OrdererOrg", "orderer0.ordererorg");
        var config = ConfigurationFactory.ParseString($$"""
            orderer {
              General { ListenPort = {{port}}, LocalMSPDir = "{{localMspDir}}" }
              FileLedger.Location = "{{Path.Combine(_root, "ledger")}}"
              BatchTimeout = 200ms
              Channels = [{ orgs = ["Org1", "Org2"], name = "{{Channel}}" }]
            }
            akka.loglevel = WARNING
            """).WithFallback(ReferenceConfig.Load());
        var settings = OrdererSettings.FromConfig(config);
        Assert.True(settings.Tls.Enabled);
        var directory = NodeDirectory.Open(settings.LocalMspDir);
        return OrdererNode.Start(settings, config, directory.LoadIdentity(settings.LocalMspId, settings.Id),
            new CertificateVerifier(directory.TrustedCas()), TimeProvider.System, TlsMaterial.LoadOrderer(settings.Tls, settings.LocalMspDir));
    }

    private Task<int> Submit(int port, int count, string? msp)
    {
        string[] args = ["submit", "--orderer", $"127.0.0.1:{port}", "--channel", Channel, "--count", count.ToString(), "--size", "100"];
        var root = new RootCommand { SubmitCommand.Create() };
        return root.Parse(msp is null ? args : [.. args, "--msp", msp]).InvokeAsync(new InvocationConfiguration { Output = _out, Error = _err });
    }

    private OrdererStatus OrdererState() => _orderer!.Orderer.Ask<OrdererStatus>(GetOrdererStatus.Instance, TimeSpan.FromSeconds(10)).Result;

    [Fact]
    public async Task Submit_with_a_peer_orgs_node_directory_reaches_the_orderer_over_mutual_tls()
    {
        var port = LoopbackPorts.Next();
        _orderer = StartOrderer(port);

        var code = await Submit(port, 5, Path.Combine(_root, "crypto", "Org2", "peer0.org2"));

        Assert.True(code == SubmitCommand.Ok, _out + "\n" + _err);
        Assert.Contains("accepted 5 of 5", _out.ToString());
        Assert.Equal(5, OrdererState().Accepted);
    }

    [Fact]
    public async Task A_client_whose_tls_certificate_no_configured_ca_issued_exchanges_no_message_with_the_orderer()
    {
        var port = LoopbackPorts.Next();
        _orderer = StartOrderer(port);

        // Bounded: the client gives up when its selection of the orderer is not answered (10 s).
        var code = await Submit(port, 5, Path.Combine(_root, "elsewhere", "Org1", "peer0.org1"));

        Assert.Equal(SubmitCommand.NotAllAccepted, code);
        Assert.Contains("accepted 0 of 5", _out.ToString());
        Assert.Equal(0, OrdererState().Accepted);
        // The orderer counted the refused handshakes, by reason, in its /metrics.
        AwaitAssert(() => Assert.True(Boundary.BoundaryRefusals.For(_orderer.System).Tls(Boundary.TlsRefusal.UnknownCa) >= 1),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(250));
        Assert.Contains("orderer_comm_tls_handshakes_refused_total{listener=\"orderer\",reason=\"UnknownCa\"}", PrometheusText.Export(_orderer.Metrics));
    }
}
