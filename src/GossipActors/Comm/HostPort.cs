using System.Globalization;

namespace GossipActors.Comm;

/// <summary>An endpoint as Fabric writes it, "host:port" (the port after the last colon).</summary>
public readonly record struct HostPort(string Host, int Port)
{
    /// <exception cref="ArgumentException">Not host:port with a port from 0 to 65535.</exception>
    public static HostPort Parse(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535)
        {
            throw new ArgumentException($"Endpoint '{endpoint}' is not host:port.", nameof(endpoint));
        }
        return new HostPort(endpoint[..colon], port);
    }

    public override string ToString() => $"{Host}:{Port}";
}
