using System.Globalization;
using System.Text.RegularExpressions;

namespace GossipActors.Configuration;

/// <summary>host:port as Fabric writes endpoints: a host name or IPv4 address, or an IPv6 address in brackets.</summary>
internal static partial class EndpointFormat
{
    public static string Allowed(bool allowPortZero) =>
        $"must be a host:port endpoint such as \"peer0.org1:7051\" (port {(allowPortZero ? 0 : 1)} to 65535)";

    public static bool IsValid(string endpoint, bool allowPortZero)
    {
        var match = Shape().Match(endpoint);
        return match.Success
               && int.TryParse(match.Groups["port"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
               && port <= 65535
               && (allowPortZero || port > 0);
    }

    [GeneratedRegex(@"^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(?<port>\d{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
