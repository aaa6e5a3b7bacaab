namespace GossipActors.Configuration;

/// <summary>
/// Mutual TLS on every listener of the node (Fabric's peer.tls.* keys). File paths are resolved: a key left "" names
/// the file cryptogen writes in the node's own directory (peer.mspConfigPath).
/// </summary>
public sealed record TlsSettings
{
    public static TlsSettings Default => PeerSettings.Default.Tls;

    /// <summary>false = plain TCP, any process that reaches a port can connect (local experiments only).</summary>
    [SettingKey("peer.tls.enabled")] public required bool Enabled { get; init; }

    /// <summary>This node's TLS certificate (PEM), presented as server and as client.</summary>
    [SettingKey("peer.tls.cert.file")] public required string CertFile { get; init; }

    /// <summary>The private key of <see cref="CertFile"/> (PKCS#8 PEM).</summary>
    [SettingKey("peer.tls.key.file")] public required string KeyFile { get; init; }

    /// <summary>The own organisation's TLS CA (PEM): the only CA the org cluster accepts.</summary>
    [SettingKey("peer.tls.rootcert.file")] public required string RootCertFile { get; init; }

    /// <summary>TLS CAs (PEM) the gossip listener accepts besides <see cref="RootCertFile"/>; empty = every file in tlscacerts/.</summary>
    [SettingKey("peer.tls.clientRootCAs.files")] public required IReadOnlyList<string> ClientRootCAsFiles { get; init; }

    internal static TlsSettings Read(SettingsReader r, string mspConfigPath) => new()
    {
        Enabled = r.Bool("peer.tls.enabled"),
        CertFile = OrDefault(r.String("peer.tls.cert.file").Trim(), mspConfigPath, "tls", "server.crt"),
        KeyFile = OrDefault(r.String("peer.tls.key.file").Trim(), mspConfigPath, "tls", "server.key"),
        RootCertFile = OrDefault(r.String("peer.tls.rootcert.file").Trim(), mspConfigPath, "tls", "ca.crt"),
        ClientRootCAsFiles = r.StringList("peer.tls.clientRootCAs.files", "must be a list of PEM file paths"),
    };

    private static string OrDefault(string configured, string mspConfigPath, params string[] defaultPath) =>
        configured.Length > 0 ? configured : Path.Combine([mspConfigPath, .. defaultPath]);
}
