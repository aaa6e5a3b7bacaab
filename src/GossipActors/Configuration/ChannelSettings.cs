using System.Text.RegularExpressions;

namespace GossipActors.Configuration;

/// <summary>One channel this peer joins (an entry of peer.channels).</summary>
public sealed partial record ChannelSettings
{
    /// <summary>The keys an entry of peer.channels may have.</summary>
    internal static readonly IReadOnlySet<string> Keys = new HashSet<string>(StringComparer.Ordinal) { "name", "orgs", "ordererOrg", "orderers" };

    /// <summary>Lower-case letters, digits, '.' and '-', starting with a letter (Fabric's channel name rule).</summary>
    [SettingKey("name")] public required string Name { get; init; }

    /// <summary>MSP IDs of the member organisations; includes the peer's own.</summary>
    [SettingKey("orgs")] public required IReadOnlyList<string> Orgs { get; init; }

    /// <summary>MSP ID of the organisation whose orderer signs this channel's blocks.</summary>
    [SettingKey("ordererOrg")] public required string OrdererOrg { get; init; }

    /// <summary>
    /// host:port of the channel's ordering nodes, which the delivery client pulls blocks from, tried in turn (Fabric
    /// takes them from the channel configuration's OrdererAddresses). Empty: this peer never pulls (blocks reach it
    /// only by gossip and state transfer).
    /// </summary>
    [SettingKey("orderers")] public IReadOnlyList<string> Orderers { get; init; } = [];

    internal static IReadOnlyList<ChannelSettings> ReadAll(SettingsReader r, string localMspId)
    {
        const string ListKey = "peer.channels";
        var entries = r.ObjectList(ListKey, "must be a list of { name, orgs = [...], ordererOrg } objects");
        var channels = new List<ChannelSettings>();
        for (var i = 0; i < entries.Count; i++)
        {
            var element = r.ForElement(entries[i], $"{ListKey}[{i}].");
            var channel = Read(element, localMspId);
            if (channels.Any(c => c.Name == channel.Name))
            {
                element.Report("name", channel.Name, "must be unique: another entry of peer.channels has this name");
            }

            channels.Add(channel);
            foreach (var unknown in entries[i].Root.GetObject().Items.Keys.Where(k => !Keys.Contains(k)))
            {
                element.Report(unknown, SettingsReader.Render(entries[i].GetValue(unknown)),
                    "not a known channel setting (known: name, orgs, ordererOrg, orderers)");
            }
        }

        return channels;
    }

    private static ChannelSettings Read(SettingsReader r, string localMspId)
    {
        var name = r.String("name", allowEmpty: false).Trim();
        if (name.Length > 0 && !NameShape().IsMatch(name))
        {
            r.Report("name", SettingsReader.Quote(name),
                "must be lower-case letters, digits, '.' or '-', start with a letter and be under 250 characters");
        }

        var orgs = r.StringList("orgs", "must be a non-empty list of organisation MSP IDs");
        if (orgs.Count == 0 || orgs.Any(o => o.Length == 0))
        {
            r.Report("orgs", $"[{string.Join(", ", orgs)}]", "must be a non-empty list of organisation MSP IDs");
        }
        else if (localMspId.Length > 0 && !orgs.Contains(localMspId, StringComparer.Ordinal))
        {
            r.Report("orgs", $"[{string.Join(", ", orgs)}]",
                $"must include this peer's organisation, peer.localMspId ({localMspId})");
        }

        return new ChannelSettings
        {
            Name = name,
            Orgs = orgs,
            OrdererOrg = r.String("ordererOrg", allowEmpty: false).Trim(),
            Orderers = r.Config.HasPath("orderers") ? r.EndpointList("orderers") : [],
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9.-]{0,248}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameShape();
}
