using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// Every peer setting, read once from HOCON and validated. Build it with <see cref="FromConfig"/> from
/// <see cref="PeerConfig.Load"/>'s result; an invalid setting throws <see cref="SettingsException"/> naming the key,
/// the value and what is allowed (all problems at once). Records built by hand or with <c>with</c> are not validated.
/// </summary>
public sealed record PeerSettings
{
    private static readonly Lazy<PeerSettings> Defaults = new(() => FromConfig(ReferenceConfig.Load()));

    /// <summary>The defaults of reference.conf (a handy start for tests: <c>PeerSettings.Default with { ... }</c>).</summary>
    public static PeerSettings Default => Defaults.Value;

    [SettingKey("peer.id")] public required string Id { get; init; }

    [SettingKey("peer.localMspId")] public required string LocalMspId { get; init; }

    /// <summary>host:port this peer listens on (port 0 = any free port).</summary>
    [SettingKey("peer.address")] public required string Address { get; init; }

    /// <summary>The crypto directory (written by cryptogen); this peer's identity is MspConfigPath/LocalMspId/Id.</summary>
    [SettingKey("peer.mspConfigPath")] public required string MspConfigPath { get; init; }

    /// <summary>Directory of the ledgers.</summary>
    [SettingKey("peer.fileSystemPath")] public required string FileSystemPath { get; init; }

    public required GossipSettings Gossip { get; init; }

    public required PullSettings Pull { get; init; }

    public required DisseminationSettings Dissemination { get; init; }

    public required ElectionSettings Election { get; init; }

    public required StateTransferSettings StateTransfer { get; init; }

    public required DeliverySettings Delivery { get; init; }

    public required OperationsSettings Operations { get; init; }

    [SettingKey("peer.channels")] public required IReadOnlyList<ChannelSettings> Channels { get; init; }

    /// <summary>
    /// Reads and validates the peer.*, operations.* and metrics.* sections of <paramref name="config"/> (reference.conf
    /// is added behind it), and checks the one size limit against the akka.* keys. Unknown keys under those sections and
    /// unknown top-level sections are errors too (with a suggestion when one is close), so typos do not pass silently.
    /// </summary>
    /// <exception cref="SettingsException">One or more settings are invalid.</exception>
    public static PeerSettings FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var r = new SettingsReader(config.WithFallback(ReferenceConfig.Load()));
        var address = r.Endpoint("peer.address", allowEmpty: false, allowPortZero: true);
        var localMspId = r.String("peer.localMspId", allowEmpty: false).Trim();
        var settings = new PeerSettings
        {
            Id = r.String("peer.id", allowEmpty: false).Trim(),
            LocalMspId = localMspId,
            Address = address,
            MspConfigPath = r.String("peer.mspConfigPath", allowEmpty: false).Trim(),
            FileSystemPath = r.String("peer.fileSystemPath", allowEmpty: false).Trim(),
            Gossip = GossipSettings.Read(r, address),
            Pull = PullSettings.Read(r),
            Dissemination = DisseminationSettings.Read(r),
            Election = ElectionSettings.Read(r),
            StateTransfer = StateTransferSettings.Read(r),
            Delivery = DeliverySettings.Read(r),
            Operations = OperationsSettings.Read(r),
            Channels = ChannelSettings.ReadAll(r, localMspId),
        };

        MessageSizeLimit.Check(r, settings.Gossip.MaxMessageSize);
        UnknownKeys.Report(r);
        if (r.Problems.Count > 0)
        {
            throw new SettingsException([.. r.Problems]);
        }

        return settings;
    }
}
