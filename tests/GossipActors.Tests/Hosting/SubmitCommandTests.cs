using System.CommandLine;
using GossipActors.Node;
using Xunit;

namespace GossipActors.Tests.Hosting;

/// <summary>`gossip-node submit` signs with an identity: without one it does not start, and an unreadable one is named.</summary>
public sealed class SubmitCommandTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();

    private int Run(params string[] args) =>
        new RootCommand { SubmitCommand.Create() }.Parse(["submit", .. args]).Invoke(new InvocationConfiguration { Output = _out, Error = _err });

    [Fact]
    public void Submit_without_an_identity_to_sign_with_does_not_start()
    {
        var code = Run("--orderer", "127.0.0.1:7050", "--channel", "mychannel", "--count", "1");

        Assert.NotEqual(SubmitCommand.Ok, code);
        Assert.Contains("--msp", _err.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Submit_with_an_identity_directory_that_does_not_exist_exits_3_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-msp-" + Guid.NewGuid().ToString("N"));

        var code = Run("--orderer", "127.0.0.1:7050", "--channel", "mychannel", "--count", "1", "--msp", missing);

        Assert.Equal(SubmitCommand.BadCryptoMaterial, code);
        Assert.Contains(missing, _err.ToString(), StringComparison.Ordinal);
    }
}
