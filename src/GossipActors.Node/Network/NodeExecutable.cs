using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GossipActors.Node.Network;

/// <summary>
/// How to start another gossip-node process: <c>dotnet gossip-node.dll ...</c> with the dotnet host that runs this
/// process (or DOTNET_HOST_PATH, or the host of the running runtime, or dotnet on PATH), or the single-file executable
/// itself when there is no dll.
/// </summary>
internal sealed record NodeExecutable(string FileName, IReadOnlyList<string> LeadingArguments)
{
    public static NodeExecutable Find()
    {
        var dll = typeof(NodeExecutable).Assembly.Location;
        if (string.IsNullOrEmpty(dll) || !File.Exists(dll))
        {
            // Published as a single file: the running executable is gossip-node itself.
            return new NodeExecutable(Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which executable runs this process"), []);
        }
        return new NodeExecutable(DotnetHost(), [dll]);
    }

    public ProcessStartInfo StartInfo(IEnumerable<string> arguments) => new(FileName, [.. LeadingArguments, .. arguments]);

    private static string DotnetHost()
    {
        var hostName = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && string.Equals(Path.GetFileName(current), hostName, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } sdkHost && File.Exists(sdkHost))
        {
            return sdkHost;
        }
        // <dotnet root>/shared/Microsoft.NETCore.App/<version>/ is where the running runtime lives.
        var runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var besideRuntime = Path.Combine(root, hostName);
        return File.Exists(besideRuntime) ? besideRuntime : hostName;
    }
}
