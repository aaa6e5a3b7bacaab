using System.CommandLine;
using GossipActors.Crypto;
using GossipActors.Node;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Crypto;

public sealed class CryptogenCommandTests : IDisposable
{
    private readonly CommandConsole _console = new("gossip-cryptogen-");

    public void Dispose() => _console.Dispose();

    private int Run(params string[] args)
    {
        var root = new RootCommand { CryptogenCommand.Create(new ManualTimeProvider(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero))) };
        return _console.Run(root, ["cryptogen", .. args]);
    }

    [Fact]
    public void Cryptogen_with_valid_arguments_writes_the_material_exits_zero_and_lists_it()
    {
        var code = Run("--orgs", "Org1,Org2", "--peers-per-org", "2", "--orderer-org", "OrdererOrg", "--out", _console.Root, "--validity-days", "30");

        Assert.Equal(CryptogenCommand.Ok, code);
        Assert.Contains("peer1.org2", _console.Out.ToString());
        Assert.Contains(Path.Combine("Org1", "ca", "ca.key"), _console.Out.ToString());
        var directory = CryptoDirectory.Open(_console.Root);
        Assert.Equal(5, directory.Nodes().Count);
        using var node = directory.LoadNode("Org2", "peer1.org2");
        Assert.Equal(TimeSpan.FromDays(30), node.Certificate.NotAfter - node.Certificate.NotBefore);
    }

    [Fact]
    public void Cryptogen_on_existing_material_exits_non_zero_naming_the_file_and_keeps_the_keys()
    {
        Assert.Equal(CryptogenCommand.Ok, Run("--orgs", "Org1", "--out", _console.Root));
        var key = Path.Combine(_console.Root, "Org1", "peer0.org1", "node.key");
        var before = File.ReadAllBytes(key);

        var code = Run("--orgs", "Org1", "--out", _console.Root);

        Assert.Equal(CryptogenCommand.AlreadyExists, code);
        Assert.Contains("already exists", _console.Error.ToString());
        Assert.Equal(before, File.ReadAllBytes(key));
    }

    [Theory]
    [InlineData("--orgs", "Org1", "--out", "DIR", "--peers-per-org", "0")]
    [InlineData("--orgs", "Org1", "--out", "DIR", "--validity-days", "-1")]
    [InlineData("--orgs", ",", "--out", "DIR")]
    [InlineData("--orgs", "Org 1", "--out", "DIR")]
    [InlineData("--orgs", "Org1", "--orderer-org", "Org1", "--out", "DIR")]
    public void Cryptogen_with_bad_arguments_exits_with_the_bad_arguments_code_and_writes_nothing(params string[] args)
    {
        var code = Run(args.Select(arg => arg == "DIR" ? _console.Root : arg).ToArray());

        Assert.Equal(CryptogenCommand.BadArguments, code);
        Assert.StartsWith("cryptogen: ", _console.Error.ToString());
        Assert.False(Directory.Exists(_console.Root));
    }

    [Theory]
    [InlineData("--out", "x")]
    [InlineData("--orgs", "Org1")]
    [InlineData("--orgs", "Org1", "--out", "x", "--peers-per-org", "two")]
    public void Cryptogen_with_missing_or_unparsable_options_exits_non_zero(params string[] args)
    {
        Assert.NotEqual(0, Run(args));
    }
}
