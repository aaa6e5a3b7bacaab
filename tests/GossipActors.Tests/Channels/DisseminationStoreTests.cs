using GossipActors.Channels;
using Xunit;
using static GossipActors.Tests.Channels.DisseminationTestPeers;

namespace GossipActors.Tests.Channels;

public sealed class DisseminationStoreTests
{
    [Fact]
    public void Store_HoldsAtMostItsCapacity_EvictingTheLowestNumber()
    {
        var store = new BlockMessageStore(3, TimeSpan.FromMinutes(1));

        foreach (var n in new ulong[] { 5, 3, 4, 6 })
        {
            store.Add(n, Block(n), T0);
        }

        Assert.Equal([4ul, 5ul, 6ul], store.Numbers);
        Assert.Equal(StoreOutcome.BelowWindow, store.Add(1, Block(1), T0));
        Assert.Equal(StoreOutcome.Duplicate, store.Add(6, Block(6), T0));
        Assert.Equal(1, store.Evicted);
    }

    [Fact]
    public void Store_ExpiresBlocksOlderThanTheExpiration()
    {
        var store = new BlockMessageStore(10, TimeSpan.FromSeconds(10));
        store.Add(1, Block(1), T0);
        store.Add(2, Block(2), T0.AddSeconds(5));

        Assert.Equal(0, store.Expire(T0.AddSeconds(9)));
        Assert.Equal(1, store.Expire(T0.AddSeconds(10)));
        Assert.Equal([2ul], store.Numbers);
    }

    [Fact]
    public void BytesHeld_FollowsTheBlocksHeld_AndStaysBoundedByCapacity()
    {
        var store = new BlockMessageStore(4, TimeSpan.FromMinutes(1));
        var perBlock = Block(10).Length + BlockMessageStore.OverheadPerBlock;

        for (ulong n = 10; n < 30; n++)
        {
            store.Add(n, Block(n), T0);
        }

        Assert.Equal(4 * perBlock, store.BytesHeld);
        store.Expire(T0.AddMinutes(1));
        Assert.Equal(0, store.BytesHeld);
    }

    [Fact]
    public void InvalidSettings_AreRejected_NamingTheSetting()
    {
        var settings = new DisseminationCoreSettings { PushTtl = 99, PullPeerNum = 0 };

        var error = Assert.Throws<ArgumentException>(() => new ChannelDissemination("ch", Peer(0), settings, new Random(1)));

        Assert.Contains("PushTtl = 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("PullPeerNum = 0", error.Message, StringComparison.Ordinal);
    }
}
