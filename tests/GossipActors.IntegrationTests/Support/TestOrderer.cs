using Akka.Configuration;
using GossipActors.Crypto;
using GossipActors.Configuration;
using GossipActors.Ordering;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// A solo orderer for specs, on 127.0.0.1 with the throttler adapter applied: blocks of at most 10 transactions or
/// 200 ms, its ledger in a folder of the temporary directory that <see cref="Dispose"/> deletes (a restart in the
/// same spec finds it again).
/// </summary>
public sealed class TestOrderer(TestPki pki, string channel, params string[] orgs) : IDisposable
{
    public string LedgerDirectory { get; } = Path.Combine(Path.GetTempPath(), "orderer-spec-" + Guid.NewGuid().ToString("N"));

    /// <summary>Starts the orderer at <paramref name="port"/>; <paramref name="extraHocon"/> goes inside the
    /// <c>orderer</c> block.</summary>
    public OrdererNode Start(int port, TlsMaterial? tls = null, string extraHocon = "")
    {
        var config = ConfigurationFactory.ParseString($$"""
            orderer {
              General { ListenAddress = "127.0.0.1", ListenPort = {{port}}, LocalMSPID = "OrdererOrg" }
              FileLedger.Location = "{{LedgerDirectory}}"
              BatchTimeout = 200ms
              BatchSize { MaxMessageCount = 10 }
              Channels = [{ orgs = [{{string.Join(", ", orgs.Select(o => $"\"{o}\""))}}], name = "{{channel}}" }]
              {{extraHocon}}
            }
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp.applied-adapters = [trttl]
            """).WithFallback(ReferenceConfig.Load());
        return OrdererNode.Start(OrdererSettings.FromConfig(config), config, pki.Orderer(), pki.Verifier, TimeProvider.System, tls);
    }

    public void Dispose()
    {
        if (Directory.Exists(LedgerDirectory))
        {
            Directory.Delete(LedgerDirectory, recursive: true);
        }
    }
}
