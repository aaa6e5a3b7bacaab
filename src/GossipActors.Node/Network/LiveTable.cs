using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GossipActors.Node.Network;

/// <summary>Draws a <see cref="LiveViewModel"/> as a Spectre.Console table (interactive terminals).</summary>
internal static class LiveTable
{
    public static IRenderable Render(LiveViewModel model)
    {
        var table = new Table()
            .Title(Markup.Escape(model.Headline))
            .Caption($"{LiveViewModel.LeaderMark} = leader of its org on the channel; latency = orderer cut to this peer's commit, last block")
            .AddColumn("peer")
            .AddColumn("org")
            .AddColumn(new TableColumn("height").RightAligned())
            .AddColumn(new TableColumn("members").RightAligned())
            .AddColumn(new TableColumn("last block latency").RightAligned());
        foreach (var peer in model.Peers)
        {
            var height = Markup.Escape(LiveViewModel.HeightCell(peer));
            var styled = !peer.Up ? $"[red]{height}[/]" : peer.Height >= model.Target ? $"[green]{height}[/]" : height;
            table.AddRow(
                Markup.Escape(peer.Name),
                Markup.Escape(peer.Org),
                styled,
                peer.Up ? peer.Members.ToString(CultureInfo.InvariantCulture) : "-",
                Markup.Escape(LiveViewModel.LatencyCell(peer)));
        }
        return table;
    }
}
