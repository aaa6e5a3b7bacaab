using GossipActors.Logging;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GossipActors.Tests.Logging;

public sealed class FabricConsoleFormatterTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 17, 5, 12, 345, TimeSpan.FromHours(1));

    [Fact]
    public void A_line_has_the_iso_8601_utc_time_fabric_level_logger_and_message()
    {
        var line = FabricConsoleFormatter.Format(At, LogLevel.Information, "gossip.discovery", "peer1.org1@Org1 (3fa4c1d2aa00bb11) is alive", null);

        Assert.Equal("2026-11-30T16:05:12.345Z INFO [gossip.discovery] peer1.org1@Org1 (3fa4c1d2aa00bb11) is alive", line);
    }

    [Fact]
    public void An_event_stays_on_one_line_and_an_exception_adds_its_type_and_message_without_a_stack_trace()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("first\nsecond");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        var line = FabricConsoleFormatter.Format(At, LogLevel.Warning, "gossip.comm", "one\r\ntwo\nthree", thrown);

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.EndsWith("WARN [gossip.comm] one | two | three (InvalidOperationException: first | second)", line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GossipActors.Discovery.MembershipActor", "gossip.discovery")]
    [InlineData("GossipActors.Election.ElectionActor", "gossip.election")]
    [InlineData("GossipActors.Comm.CommActor", "gossip.comm")]
    [InlineData("GossipActors.Ledger.LedgerActor", "gossip.state")]
    [InlineData("Akka.Remote.EndpointWriter", "akka.remote")]
    [InlineData("Akka.Cluster.ClusterCoreDaemon", "akka.cluster")]
    [InlineData("gossip.election", "gossip.election")]
    [InlineData("Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Hosting.Diagnostics")]
    public void Classes_log_under_their_module_s_fabric_style_name(string category, string name) =>
        Assert.Equal(name, LoggerNames.ForCategory(category));
}
