namespace GossipActors.Configuration;

/// <summary>
/// Mutual TLS on the orderer's listener (Fabric's orderer.General.TLS.* keys). File paths are resolved: a key left
/// empty names the file cryptogen writes in the orderer's own directory (orderer.General.LocalMSPDir).
/// </summary>
public sealed record OrdererTlsSettings
{
    /// <summary>false = plain TCP: any process that reaches the port can connect (local experiments only).</summary>
    [SettingKey("orderer.General.TLS.Enabled")] public required bool Enabled { get; init; }

    /// <summary>The private key of <see cref="Certificate"/> (PKCS#8 PEM).</summary>
    [SettingKey("orderer.General.TLS.PrivateKey")] public required string PrivateKey { get; init; }

    /// <summary>The orderer's TLS certificate (PEM), presented to every connecting node.</summary>
    [SettingKey("orderer.General.TLS.Certificate")] public required string Certificate { get; init; }

    /// <summary>TLS CA certificates (PEM) whose certificates the listener accepts: the peer organisations' TLS CAs.</summary>
    [SettingKey("orderer.General.TLS.RootCAs")] public required IReadOnlyList<string> RootCAs { get; init; }

    /// <summary>Always true when TLS is on: a boundary listener requires a client certificate (false is refused).</summary>
    [SettingKey("orderer.General.TLS.ClientAuthRequired")] public required bool ClientAuthRequired { get; init; }

    internal static OrdererTlsSettings Read(SettingsReader r, string localMspDir)
    {
        var settings = new OrdererTlsSettings
        {
            Enabled = r.Bool("orderer.General.TLS.Enabled"),
            PrivateKey = OrDefault(r.String("orderer.General.TLS.PrivateKey").Trim(), localMspDir, "tls", "server.key"),
            Certificate = OrDefault(r.String("orderer.General.TLS.Certificate").Trim(), localMspDir, "tls", "server.crt"),
            RootCAs = r.StringList("orderer.General.TLS.RootCAs", "must be a list of PEM file paths"),
            ClientAuthRequired = r.Bool("orderer.General.TLS.ClientAuthRequired"),
        };
        if (settings.Enabled && !settings.ClientAuthRequired)
        {
            r.Report("orderer.General.TLS.ClientAuthRequired", "false",
                "must be true while orderer.General.TLS.Enabled = true: the orderer accepts only nodes whose TLS certificate a CA of "
                + "orderer.General.TLS.RootCAs issued (mutual TLS); for plain TCP in local experiments set orderer.General.TLS.Enabled = false");
        }
        return settings;
    }

    private static string OrDefault(string configured, string localMspDir, params string[] defaultPath) =>
        configured.Length > 0 ? configured : Path.Combine([localMspDir, .. defaultPath]);
}
