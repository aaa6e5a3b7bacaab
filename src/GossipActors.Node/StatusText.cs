using System.Text;
using GossipActors.Operations;

namespace GossipActors.Node;

/// <summary>A node's /status as text for a person: names peers as <c>endpoint (short PKI-ID)</c>.</summary>
internal static class StatusText
{
    public static string Format(PeerStatus status)
    {
        var text = new StringBuilder();
        text.AppendLine($"{status.Id}@{status.MspId} ({Short(status.PkiId)})  endpoint {status.Endpoint}"
            + (status.ExternalEndpoint.Length > 0 && status.ExternalEndpoint != status.Endpoint ? $", external {status.ExternalEndpoint}" : ""));
        text.AppendLine($"membership: {status.Alive.Count} alive, {status.Dead.Count} dead");
        foreach (var peer in status.Alive.OrderBy(p => p.Org, StringComparer.Ordinal).ThenBy(p => p.Endpoint, StringComparer.Ordinal))
        {
            text.AppendLine($"  alive  {peer.Endpoint}@{peer.Org} ({Short(peer.PkiId)})");
        }
        foreach (var peer in status.Dead.OrderBy(p => p.Endpoint, StringComparer.Ordinal))
        {
            text.AppendLine($"  dead   {peer.Endpoint}@{peer.Org} ({Short(peer.PkiId)})");
        }
        foreach (var channel in status.Channels)
        {
            text.AppendLine($"channel {channel.Name}{(channel.Left ? " (left)" : "")}: height {channel.Height}, last block {Short(channel.LastBlockHash)}"
                + $", {channel.FullCopiesReceived} full copies received, {channel.BadBlocks} bad blocks");
            foreach (var (peer, height) in channel.Peers.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                text.AppendLine($"  peer {Short(peer)} at height {height}");
            }
        }
        return text.ToString();
    }

    private static string Short(string hex) => hex.Length > 8 ? hex[..8] : hex;
}
