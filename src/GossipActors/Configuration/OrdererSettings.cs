using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// The solo ordering node's settings (the orderer { ... } section of its HOCON file), named as in Fabric's
/// orderer.yaml (General.*, FileLedger.Location) and channel configuration (BatchSize, BatchTimeout). Read once with
/// <see cref="FromConfig"/>; an invalid or unknown key throws <see cref="SettingsException"/> naming the key, the
/// value and what is allowed (all problems at once).
/// </summary>
public sealed record OrdererSettings
{
    /// <summary>Room left in one gossip envelope around a block's transactions (header, signature, certificate, framing).</summary>
    public const int BlockOverheadBytes = 64 * 1024;

    [SettingKey("orderer.General.ListenAddress")] public required string ListenAddress { get; init; }

    /// <summary>0 = any free port.</summary>
    [SettingKey("orderer.General.ListenPort")] public required int ListenPort { get; init; }

    /// <summary>The orderer's own directory written by cryptogen (DIR/&lt;LocalMSPID&gt;/&lt;Id&gt;): its identity, trusted CAs and TLS material.</summary>
    [SettingKey("orderer.General.LocalMSPDir")] public required string LocalMspDir { get; init; }

    [SettingKey("orderer.General.LocalMSPID")] public required string LocalMspId { get; init; }

    [SettingKey("orderer.General.Id")] public required string Id { get; init; }

    /// <summary>Mutual TLS on the listener (orderer.General.TLS.*).</summary>
    public required OrdererTlsSettings Tls { get; init; }

    [SettingKey("orderer.General.MaxPendingTransactions")] public required int MaxPendingTransactions { get; init; }

    [SettingKey("orderer.FileLedger.Location")] public required string FileLedgerLocation { get; init; }

    [SettingKey("orderer.BatchTimeout")] public required TimeSpan BatchTimeout { get; init; }

    [SettingKey("orderer.BatchSize.MaxMessageCount")] public required int MaxMessageCount { get; init; }

    [SettingKey("orderer.BatchSize.AbsoluteMaxBytes")] public required int AbsoluteMaxBytes { get; init; }

    [SettingKey("orderer.BatchSize.PreferredMaxBytes")] public required int PreferredMaxBytes { get; init; }

    [SettingKey("orderer.Deliver.Window")] public required int DeliverWindow { get; init; }

    [SettingKey("orderer.Deliver.MaxStreams")] public required int MaxDeliverStreams { get; init; }

    [SettingKey("orderer.Deliver.StreamIdleTimeout")] public required TimeSpan StreamIdleTimeout { get; init; }

    [SettingKey("orderer.Deliver.RequestFreshness")] public required TimeSpan RequestFreshness { get; init; }

    /// <summary>The orderer's operations endpoint (host:port; port 0 = any free port); "" = off.</summary>
    [SettingKey("orderer.Operations.ListenAddress")] public required string OperationsListenAddress { get; init; }

    /// <summary>orderer.Metrics.Provider: true for prometheus (served at /metrics), false for disabled.</summary>
    [SettingKey("orderer.Metrics.Provider")] public required bool MetricsEnabled { get; init; }

    public bool OperationsEnabled => OperationsListenAddress.Length > 0;

    /// <summary>Channel name → the organisations whose peers may pull its blocks.</summary>
    [SettingKey("orderer.Channels")] public required IReadOnlyDictionary<string, IReadOnlyList<string>> Channels { get; init; }

    /// <summary>
    /// Channel name → the organisations whose members may submit to it: an entry's <c>writers</c> of orderer.Channels,
    /// by default its orgs (read with <see cref="Channels"/>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Writers => _writers ?? Channels;

    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _writers;

    public string Endpoint => $"{ListenAddress}:{ListenPort}";

    /// <summary>
    /// Reads and validates orderer.* of <paramref name="config"/> with reference.conf behind it. The largest block
    /// (one transaction of AbsoluteMaxBytes, or PreferredMaxBytes of transactions) must fit in one gossip envelope
    /// (akka.actor.serialization-settings.gossip-wire.max-envelope-bytes).
    /// </summary>
    /// <exception cref="SettingsException">One or more settings are invalid.</exception>
    public static OrdererSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var full = config.WithFallback(ReferenceConfig.Load());
        var r = new SettingsReader(full);
        var envelope = full.GetByteSize("akka.actor.serialization-settings.gossip-wire.max-envelope-bytes") ?? 8 * 1024 * 1024;
        var largestBlock = (int)Math.Max(1, envelope - BlockOverheadBytes);
        var localMspDir = r.String("orderer.General.LocalMSPDir", allowEmpty: false).Trim();
        var settings = new OrdererSettings
        {
            ListenAddress = r.String("orderer.General.ListenAddress", allowEmpty: false).Trim(),
            ListenPort = r.Int("orderer.General.ListenPort", 0, 65535),
            LocalMspDir = localMspDir,
            LocalMspId = r.String("orderer.General.LocalMSPID", allowEmpty: false).Trim(),
            Id = r.String("orderer.General.Id", allowEmpty: false).Trim(),
            Tls = OrdererTlsSettings.Read(r, localMspDir),
            MaxPendingTransactions = r.Int("orderer.General.MaxPendingTransactions", 1),
            FileLedgerLocation = r.String("orderer.FileLedger.Location", allowEmpty: false).Trim(),
            BatchTimeout = r.Duration("orderer.BatchTimeout"),
            MaxMessageCount = r.Int("orderer.BatchSize.MaxMessageCount", 1),
            AbsoluteMaxBytes = r.ByteSize("orderer.BatchSize.AbsoluteMaxBytes", 1, largestBlock),
            PreferredMaxBytes = r.ByteSize("orderer.BatchSize.PreferredMaxBytes", 1, largestBlock),
            DeliverWindow = r.Int("orderer.Deliver.Window", 1, 10_000),
            MaxDeliverStreams = r.Int("orderer.Deliver.MaxStreams", 1),
            StreamIdleTimeout = r.Duration("orderer.Deliver.StreamIdleTimeout"),
            RequestFreshness = r.Duration("orderer.Deliver.RequestFreshness"),
            OperationsListenAddress = r.Endpoint("orderer.Operations.ListenAddress", allowEmpty: true, allowPortZero: true),
            MetricsEnabled = OperationsSettings.ReadProvider(r, "orderer.Metrics.Provider"),
            Channels = new Dictionary<string, IReadOnlyList<string>>(),
        };
        var (channels, writers) = ReadChannels(r);
        settings = settings with { Channels = channels };
        settings._writers = writers;
        if (settings.PreferredMaxBytes > settings.AbsoluteMaxBytes)
        {
            r.Report(new SettingsProblem("orderer.BatchSize.PreferredMaxBytes, orderer.BatchSize.AbsoluteMaxBytes",
                $"{settings.PreferredMaxBytes}, {settings.AbsoluteMaxBytes}", "PreferredMaxBytes must not exceed AbsoluteMaxBytes"));
        }
        foreach (var (path, value) in HoconLeaves.Under(r.Config, "orderer").Where(l => !r.KeysRead.Contains(l.Path) && !l.Path.StartsWith("orderer.Channels", StringComparison.Ordinal)))
        {
            r.Report(new SettingsProblem(path, SettingsReader.Render(value), "not a known setting") { Message = $"{path} is not a known orderer setting" });
        }
        if (r.Problems.Count > 0)
        {
            throw new SettingsException([.. r.Problems]);
        }
        return settings;
    }

    private static (Dictionary<string, IReadOnlyList<string>> Readers, Dictionary<string, IReadOnlyList<string>> Writers) ReadChannels(SettingsReader r)
    {
        const string ListKey = "orderer.Channels";
        var channels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var writers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var entries = r.ObjectList(ListKey, "must be a list of { name, orgs = [...] } objects");
        for (var i = 0; i < entries.Count; i++)
        {
            var element = r.ForElement(entries[i], $"{ListKey}[{i}].");
            var name = element.String("name", allowEmpty: false).Trim();
            var orgs = element.StringList("orgs", "must be a non-empty list of organisation MSP IDs");
            if (orgs.Count == 0 || orgs.Any(o => o.Length == 0))
            {
                element.Report("orgs", $"[{string.Join(", ", orgs)}]", "must be a non-empty list of organisation MSP IDs");
            }
            var channelWriters = orgs;
            if (entries[i].HasPath("writers"))
            {
                channelWriters = element.StringList("writers", "must be a non-empty list of organisation MSP IDs, each one of the entry's orgs");
                if (channelWriters.Count == 0 || channelWriters.Any(w => !orgs.Contains(w)))
                {
                    element.Report("writers", $"[{string.Join(", ", channelWriters)}]", $"must be a non-empty list of organisation MSP IDs, each one of the entry's orgs ({string.Join(", ", orgs)})");
                }
            }
            if (name.Length > 0 && !channels.TryAdd(name, orgs))
            {
                element.Report("name", name, "must be unique: another entry of orderer.Channels has this name");
            }
            else if (name.Length > 0)
            {
                writers[name] = channelWriters;
            }
            foreach (var unknown in entries[i].Root.GetObject().Items.Keys.Where(k => k is not ("name" or "orgs" or "writers")))
            {
                element.Report(unknown, SettingsReader.Render(entries[i].GetValue(unknown)), "not a known channel setting (known: name, orgs, writers)");
            }
        }
        if (channels.Count == 0 && r.Problems.Count == 0)
        {
            r.Report(ListKey, "[]", "must name at least one channel: { name = \"mychannel\", orgs = [\"Org1\"] }");
        }
        return (channels, writers);
    }
}
