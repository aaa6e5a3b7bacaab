using System.Diagnostics;
using System.Net.Http.Json;
using GossipActors.Crypto;
using GossipActors.IntegrationTests.Support;
using GossipActors.Node;
using GossipActors.Operations;
using Xunit;

namespace GossipActors.IntegrationTests.EndToEnd;

/// <summary>Real `gossip-node peer` processes on loopback, observed only through their operations endpoints.</summary>
public sealed class PeerProcessesSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _processes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public PeerProcessesSpec() : base("akka.test.timefactor = 2") { }

    protected override void Dispose(bool disposing)
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        _http.Dispose();
        base.Dispose(disposing);
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Process, System.Text.StringBuilder> _stderr = new();

    private Process StartPeer(int index, int port, int opsPort, int bootstrapPort, int orgPort = 0, int orgBootstrapPort = 0)
    {
        var config = Path.Combine(_root, $"peer{index}.conf");
        var orgCluster = orgPort == 0 ? "" : $$"""
            gossip.orgCluster {
              address = "127.0.0.1:{{orgPort}}"
              bootstrap = ["127.0.0.1:{{orgBootstrapPort}}"]
            }
            """;
        File.WriteAllText(config, $$"""
            peer {
              id = "peer{{index}}.org1"
              localMspId = "Org1"
              address = "127.0.0.1:{{port}}"
              mspConfigPath = "{{Path.Combine(_root, "crypto", "Org1", $"peer{index}.org1")}}"
              fileSystemPath = "{{Path.Combine(_root, $"data{index}")}}"
              gossip {
                bootstrap = ["127.0.0.1:{{bootstrapPort}}"]
                aliveTimeInterval = 300ms
                aliveExpirationTimeout = 2s
                reconnectInterval = 1s
                membership.antiEntropyInterval = 1s
              }
              operations.listenAddress = "127.0.0.1:{{opsPort}}"
              {{orgCluster}}
              channels = [ { name = "mychannel", orgs = ["Org1"], ordererOrg = "OrdererOrg" } ]
            }
            akka.loglevel = WARNING
            """);
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, "peer", "--config", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed child would leave its diagnostics IPC files in the temporary folder
        var process = Process.Start(start)!;
        var stderr = _stderr.GetOrAdd(process, _ => new System.Text.StringBuilder());
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    private async Task<PeerStatus> Status(int opsPort) =>
        (await _http.GetFromJsonAsync<PeerStatus>($"http://127.0.0.1:{opsPort}/status"))!;

    [Fact]
    public async Task Three_peer_processes_find_each_other_and_declare_a_killed_one_dead()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 3, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var ports = Enumerable.Range(0, 3).Select(_ => LoopbackPorts.Next()).ToArray();
        var opsPorts = Enumerable.Range(0, 3).Select(_ => LoopbackPorts.Next()).ToArray();
        var orgPorts = Enumerable.Range(0, 3).Select(_ => LoopbackPorts.Next()).ToArray();
        var processes = Enumerable.Range(0, 3).Select(i => StartPeer(i, ports[i], opsPorts[i], ports[0], orgPorts[i], orgPorts[0])).ToList();

        foreach (var ops in opsPorts)
        {
            await AwaitAssertAsync(async () => Assert.Equal(2, (await Status(ops)).Alive.Count),
                Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));
        }
        foreach (var ops in opsPorts)
        {
            await AwaitAssertAsync(async () =>
            {
                var channel = Assert.Single((await Status(ops)).Channels);
                Assert.Equal(("mychannel", 0UL, 2), (channel.Name, channel.Height, channel.Peers.Count));
            }, Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(500));
        }
        var victim = await Status(opsPorts[2]);
        Assert.Equal("OK", (await _http.GetFromJsonAsync<Dictionary<string, string>>($"http://127.0.0.1:{opsPorts[0]}/healthz"))!["status"]);
        var metrics = await _http.GetStringAsync($"http://127.0.0.1:{opsPorts[0]}/metrics");
        Assert.Contains("gossip_comm_messages_received", metrics);
        Assert.Contains("gossip_membership_total_peers_known{channel=\"mychannel\"} 2", metrics);
        Assert.Contains("gossip_membership_alive_peers 2", metrics);

        processes[2].Kill(entireProcessTree: true);

        foreach (var ops in opsPorts.Take(2))
        {
            await AwaitAssertAsync(async () => Assert.Contains(victim.PkiId, (await Status(ops)).Dead.Select(d => d.PkiId)),
                Dilated(TimeSpan.FromSeconds(20)), TimeSpan.FromMilliseconds(500));
        }
    }

    [Fact]
    public async Task A_second_peer_process_with_the_same_configuration_exits_2_instead_of_binding_beside_the_first()
    {
        CryptoMaterialGenerator.Generate(Path.Combine(_root, "crypto"), ["Org1"], 1, "OrdererOrg", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(1));
        var (port, opsPort, orgPort) = (LoopbackPorts.Next(), LoopbackPorts.Next(), LoopbackPorts.Next());
        StartPeer(0, port, opsPort, port, orgPort, orgPort);
        await AwaitAssertAsync(async () => Assert.Equal("OK", (await _http.GetFromJsonAsync<Dictionary<string, string>>($"http://127.0.0.1:{opsPort}/healthz"))!["status"]),
            Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(500));

        var second = StartPeer(0, port, opsPort, port, orgPort, orgPort);

        Assert.True(second.WaitForExit(Dilated(TimeSpan.FromSeconds(60))), "the second process should have exited");
        second.WaitForExit(); // flushes the redirected streams
        Assert.Equal(2, second.ExitCode);
        var stderr = _stderr[second].ToString();
        Assert.Contains("peer.address", stderr);
        Assert.Contains($"127.0.0.1:{port}", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("OK", (await _http.GetFromJsonAsync<Dictionary<string, string>>($"http://127.0.0.1:{opsPort}/healthz"))!["status"]);
    }
}
