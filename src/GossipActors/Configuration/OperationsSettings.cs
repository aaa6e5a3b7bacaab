namespace GossipActors.Configuration;

/// <summary>
/// The HTTP operations endpoint (/healthz, /metrics, /status) and the metrics provider: Fabric's top-level
/// <c>operations.*</c> and <c>metrics.*</c> sections of core.yaml.
/// </summary>
public sealed record OperationsSettings
{
    /// <summary>This project's former place of the listen address, still accepted as an alias.</summary>
    internal const string AliasKey = "peer.operations.listenAddress";

    public static OperationsSettings Default => PeerSettings.Default.Operations;

    /// <summary>host:port to serve on (port 0 = any free port); "" = off.</summary>
    [SettingKey("operations.listenAddress")] public required string ListenAddress { get; init; }

    /// <summary>metrics.provider: true for prometheus (served at /metrics), false for disabled.</summary>
    [SettingKey("metrics.provider")] public required bool MetricsEnabled { get; init; }

    public bool Enabled => ListenAddress.Length > 0;

    internal static OperationsSettings Read(SettingsReader r)
    {
        const string Key = "operations.listenAddress";
        var listenAddress = r.Endpoint(Key, allowEmpty: true, allowPortZero: true);
        if (r.Config.HasPath(AliasKey))
        {
            var alias = r.Endpoint(AliasKey, allowEmpty: true, allowPortZero: true);
            var reference = ReferenceConfig.Load().GetString(Key);
            if (listenAddress != reference && listenAddress != alias)
            {
                r.Report(new SettingsProblem($"{Key}, {AliasKey}", $"{SettingsReader.Quote(listenAddress)}, {SettingsReader.Quote(alias)}",
                    "name the same setting; keep one (operations.listenAddress is Fabric's place)")
                {
                    Message = $"{Key} = {SettingsReader.Quote(listenAddress)} and {AliasKey} = {SettingsReader.Quote(alias)} "
                              + "name the same setting with different values; keep one (operations.listenAddress is Fabric's place)",
                });
            }
            listenAddress = alias;
        }

        return new OperationsSettings { ListenAddress = listenAddress, MetricsEnabled = ReadProvider(r, "metrics.provider") };
    }

    /// <summary>A metrics provider key (peer's metrics.provider, orderer's orderer.Metrics.Provider): true for prometheus.</summary>
    internal static bool ReadProvider(SettingsReader r, string key)
    {
        const string Allowed = "must be prometheus (served at /metrics) or disabled; Fabric's statsd is not supported";
        var provider = r.String(key).Trim();
        return provider.ToLowerInvariant() switch
        {
            "prometheus" => true,
            "disabled" => false,
            _ => Report(r, key, provider, Allowed),
        };
    }

    private static bool Report(SettingsReader r, string key, string value, string allowed)
    {
        r.Report(key, SettingsReader.Quote(value), allowed);
        return false;
    }
}
