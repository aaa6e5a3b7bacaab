using System.Globalization;
using System.Text;
using GossipActors.Channels;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>
/// Measures the memory a channel's block store holds at steady state (after many more blocks than it may keep),
/// both as reported by <see cref="BlockMessageStore.BytesHeld"/> and as measured on the managed heap.
/// </summary>
public static class DisseminationMemoryProbe
{
    public sealed record Measurement(int Channels, int MaxBlockCountToStore, int BlockBytes, long ReportedBytesPerChannel, long HeapBytesPerChannel);

    public static Measurement Measure(int channels, int maxBlockCountToStore, int blockBytes)
    {
        var random = new Random(1);
        var payload = new byte[blockBytes];
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var stores = new BlockMessageStore[channels];
        for (var c = 0; c < channels; c++)
        {
            stores[c] = new BlockMessageStore(maxBlockCountToStore, TimeSpan.FromSeconds(400));
            for (var b = 0; b < maxBlockCountToStore * 3; b++)
            {
                random.NextBytes(payload);
                stores[c].Add((ulong)b, ByteString.CopyFrom(payload), start.AddMilliseconds(100 * b));
            }
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var reported = stores.Sum(s => s.BytesHeld) / channels;
        GC.KeepAlive(stores);
        return new Measurement(channels, maxBlockCountToStore, blockBytes, reported, (after - before) / channels);
    }

    public static string Table(int blockBytes)
    {
        var text = new StringBuilder()
            .AppendLine("| channels | maxBlockCountToStore | block bytes | reported bytes/channel | heap bytes/channel |")
            .AppendLine("|---:|---:|---:|---:|---:|");
        foreach (var capacity in new[] { 10, 100 })
        {
            foreach (var channels in new[] { 1, 10, 100 })
            {
                var m = Measure(channels, capacity, blockBytes);
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {m.Channels} | {m.MaxBlockCountToStore} | {m.BlockBytes} | {m.ReportedBytesPerChannel:N0} | {m.HeapBytesPerChannel:N0} |"));
            }
        }
        return text.ToString();
    }
}
