using System.Net.Http.Json;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;
using GossipActors.Configuration;
using GossipActors.Election;
using GossipActors.Logging;
using GossipActors.Operations;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GossipActors.Tests.Logging;

/// <summary>Akka's events through <see cref="AkkaLogRouter"/> into Microsoft.Extensions.Logging, filtered by the
/// node's logging specification, which PUT /logspec changes at run time.</summary>
public sealed class NodeLoggingSpec : Akka.TestKit.Xunit2.TestKit
{
    private readonly CapturingLoggerProvider _captured = new();

    private (NodeLogging Logging, ActorSystem System) StartSystem(string spec)
    {
        var logging = new NodeLogging(LogSpec.Parse(spec));
        var factory = LoggerFactory.Create(builder =>
        {
            logging.ConfigureFilter(builder);
            builder.AddProvider(_captured);
        });
        var config = logging.AkkaConfig().WithFallback(ConfigurationFactory.Default());
        var system = ActorSystem.Create("logged", ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config), new AkkaLogRouterSetup(factory)));
        return (logging, system);
    }

    private void AwaitLogged(string text) =>
        AwaitCondition(() => _captured.Events.Any(e => e.Text == text), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_put_to_logspec_makes_election_debug_lines_appear_that_were_not_logged_before()
    {
        var (logging, system) = StartSystem("info");
        try
        {
            var election = Akka.Event.Logging.GetLogger(system, typeof(ElectionActor));
            election.Debug("proposal before");
            election.Info("marker before");
            AwaitLogged("marker before");
            Assert.DoesNotContain(_captured.Events, e => e.Text == "proposal before");

            await using var operations = await OperationsServer.StartAsync("127.0.0.1:0", "peer0.org1", CreateTestProbe().Ref,
                Prometheus.Metrics.NewCustomRegistry(), [], logging.Switch);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var put = await http.PutAsJsonAsync(new Uri(operations.BaseAddress, "/logspec"), new VersionEndpoints.LogSpecBody("gossip.election=debug:info"));
            Assert.True(put.IsSuccessStatusCode, $"PUT /logspec answered {put.StatusCode}");

            election.Debug("proposal after");
            AwaitLogged("proposal after");
            Assert.Contains(_captured.Events, e => e.Text == "proposal after" && e.Category == "gossip.election" && e.Level == LogLevel.Debug);

            // Other loggers stay at info.
            var membership = Akka.Event.Logging.GetLogger(system, typeof(GossipActors.Discovery.MembershipActor));
            membership.Debug("membership detail");
            membership.Info("membership marker");
            AwaitLogged("membership marker");
            Assert.DoesNotContain(_captured.Events, e => e.Text == "membership detail");
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Akka_start_up_chatter_is_logged_at_debug_and_so_hidden_at_the_default_level()
    {
        var (_, system) = StartSystem("info");
        try
        {
            var akka = Akka.Event.Logging.GetLogger(system, typeof(Akka.Remote.RemoteActorRefProvider));
            akka.Info("Remoting started; listening on addresses : [akka.tcp://gossip@127.0.0.1:7051]");
            akka.Warning("Association with remote system akka.tcp://gossip@127.0.0.1:9051 has failed; address is now gated for 5000 ms");
            akka.Warning("a warning of Akka that is not about connections");
            AwaitLogged("a warning of Akka that is not about connections");
            Assert.DoesNotContain(_captured.Events, e => e.Text.StartsWith("Remoting started", StringComparison.Ordinal));
            Assert.DoesNotContain(_captured.Events, e => e.Text.StartsWith("Association with", StringComparison.Ordinal));
            Assert.Contains(_captured.Events, e => e.Category == "akka.remote" && e.Level == LogLevel.Warning);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void The_specification_comes_from_FABRIC_LOGGING_SPEC_before_the_hocon_key()
    {
        var config = ConfigurationFactory.ParseString("logging.spec = \"gossip=warn:info\"");

        Assert.Equal("gossip=warn:info", NodeLogging.From(config, new Dictionary<string, string>()).Switch.Current.Text);
        Assert.Equal("debug", NodeLogging.From(config, new Dictionary<string, string> { ["FABRIC_LOGGING_SPEC"] = "debug" }).Switch.Current.Text);
        Assert.Equal("info", NodeLogging.From(ConfigurationFactory.Empty, new Dictionary<string, string>()).Switch.Current.Text);
    }

    [Fact]
    public void A_bad_specification_names_its_source_the_value_and_the_allowed_levels()
    {
        var fromHocon = Assert.Throws<SettingsException>(() =>
            NodeLogging.From(ConfigurationFactory.ParseString("logging.spec = \"gossip=loud\""), new Dictionary<string, string>()));
        Assert.Contains("logging.spec", fromHocon.Message, StringComparison.Ordinal);
        Assert.Contains("loud", fromHocon.Message, StringComparison.Ordinal);
        Assert.Contains("debug, info", fromHocon.Message, StringComparison.Ordinal);

        var fromEnvironment = Assert.Throws<SettingsException>(() =>
            NodeLogging.From(ConfigurationFactory.Empty, new Dictionary<string, string> { ["FABRIC_LOGGING_SPEC"] = "verbose" }));
        Assert.Contains("FABRIC_LOGGING_SPEC", fromEnvironment.Message, StringComparison.Ordinal);
        Assert.Contains("verbose", fromEnvironment.Message, StringComparison.Ordinal);
    }
}
