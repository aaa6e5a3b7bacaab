using GossipActors.Operations;
using Microsoft.Extensions.Logging;
using Xunit;

namespace GossipActors.Tests.Operations;

public sealed class LogSpecTests
{
    [Fact]
    public void An_empty_spec_is_info_for_every_logger()
    {
        var spec = LogSpec.Parse("  ");

        Assert.Equal(LogLevel.Information, spec.LevelFor("gossip.comm"));
        Assert.Equal("info", spec.Text);
    }

    [Fact]
    public void A_bare_level_sets_the_default_and_a_named_logger_overrides_it()
    {
        var spec = LogSpec.Parse("gossip=debug:warn");

        Assert.Equal(LogLevel.Warning, spec.Default);
        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip"));
        Assert.Equal(LogLevel.Warning, spec.LevelFor("orderer"));
    }

    [Fact]
    public void A_logger_entry_covers_its_dotted_descendants_but_not_name_prefixes()
    {
        var spec = LogSpec.Parse("gossip=debug:info");

        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip.comm.send"));
        Assert.Equal(LogLevel.Information, spec.LevelFor("gossipx"));
    }

    [Fact]
    public void The_most_specific_entry_wins()
    {
        var spec = LogSpec.Parse("gossip=debug:gossip.comm=error:info");

        Assert.Equal(LogLevel.Error, spec.LevelFor("gossip.comm.handshake"));
        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip.election"));
    }

    [Fact]
    public void A_name_ending_in_a_dot_applies_to_that_logger_only()
    {
        var spec = LogSpec.Parse("gossip.comm.=warn:debug");

        Assert.Equal(LogLevel.Warning, spec.LevelFor("gossip.comm"));
        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip.comm.handshake"));
    }

    [Fact]
    public void Several_loggers_share_one_level_and_level_names_ignore_case()
    {
        var spec = LogSpec.Parse("gossip.state,gossip.election=DEBUG:Warning");

        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip.state"));
        Assert.Equal(LogLevel.Debug, spec.LevelFor("gossip.election"));
        Assert.Equal(LogLevel.Warning, spec.LevelFor("gossip.comm"));
    }

    [Theory]
    [InlineData("gossip=loud", "\"loud\"")]
    [InlineData("verbose", "\"verbose\"")]
    [InlineData("=debug", "empty or malformed logger")]
    [InlineData("gossip,=debug", "empty or malformed logger")]
    public void A_bad_spec_is_refused_naming_the_bad_term(string text, string expected)
    {
        Assert.False(LogSpec.TryParse(text, out var parsed, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Same(LogSpec.Info, parsed);
        var thrown = Assert.Throws<FormatException>(() => LogSpec.Parse(text));
        Assert.Equal(error, thrown.Message);
    }
}
