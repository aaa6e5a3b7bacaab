using GossipActors.Ordering;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>The orderer's SQLite store: chains survive a reopen, and accepted transactions not yet in a block are cut after a restart.</summary>
public sealed class OrdererStoreTests : IDisposable
{
    private static readonly BatchLimits Limits = new(MaxMessageCount: 10, AbsoluteMaxBytes: 1000, PreferredMaxBytes: 1000, BatchTimeout: TimeSpan.FromSeconds(2));
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "orderer-store-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki _pki = new();
    private readonly ManualTimeProvider _clock = new();

    private static ByteString Tx(int i) => ByteString.CopyFromUtf8($"tx-{i}");

    private List<ByteString> AllTransactions(OrdererStore store, string channel, ulong height)
    {
        var transactions = new List<ByteString>();
        Block? previous = null;
        for (ulong n = 0; n < height; n++)
        {
            var block = Block.Parser.ParseFrom(store.Block(channel, n));
            Assert.True(previous is null ? BlockVerifier.TryParseHeader(block, out _) : BlockVerifier.ExtendsChain(previous, block), $"block {n} does not extend block {n - 1}");
            transactions.AddRange(block.Data.Transactions);
            previous = block;
        }
        return transactions;
    }

    [Fact]
    public void Accepted_transactions_not_yet_in_a_block_are_cut_after_a_restart_and_none_is_lost()
    {
        var orderer = _pki.Orderer();
        using (var store = OrdererStore.Open(_directory))
        {
            var chain = new OrderingChain("ch", Limits, store, orderer, _clock.GetUtcNow());
            // 25 accepted: two blocks of 10 are cut, 5 stay pending when the orderer dies.
            foreach (var (_, pending) in store.Persist([.. Enumerable.Range(0, 25).Select(i => ("ch", Tx(i)))]))
            {
                chain.Order(pending, _clock.GetUtcNow());
            }
            Assert.Equal(2UL, chain.Height);
            Assert.Equal(5, store.Pending("ch").Count);
        }

        using (var reopened = OrdererStore.Open(_directory))
        {
            var chain = new OrderingChain("ch", Limits, reopened, orderer, _clock.GetUtcNow());
            Assert.Equal(5, chain.Recovered);
            Assert.Equal(2UL, chain.Height);
            _clock.Advance(Limits.BatchTimeout);
            Assert.True(chain.Tick(_clock.GetUtcNow()));

            Assert.Equal(3UL, chain.Height);
            Assert.Empty(reopened.Pending("ch"));
            Assert.Equal(Enumerable.Range(0, 25).Select(Tx), AllTransactions(reopened, "ch", chain.Height));
            Assert.Equal(chain.LastHash, reopened.Tip("ch").LastHash);
        }
    }

    [Fact]
    public void Channels_keep_separate_chains_and_pending_transactions()
    {
        var orderer = _pki.Orderer();
        using var store = OrdererStore.Open(_directory);
        var a = new OrderingChain("a", Limits with { MaxMessageCount = 1 }, store, orderer, _clock.GetUtcNow());
        var b = new OrderingChain("b", Limits, store, orderer, _clock.GetUtcNow());

        foreach (var (channel, pending) in store.Persist([("a", Tx(1)), ("b", Tx(2)), ("a", Tx(3))]))
        {
            (channel == "a" ? a : b).Order(pending, _clock.GetUtcNow());
        }

        Assert.Equal(2UL, a.Height);
        Assert.Equal(0UL, b.Height);
        Assert.Equal([Tx(2)], store.Pending("b").Select(p => p.Transaction));
        Assert.Empty(store.Pending("a"));
        Assert.Equal((0UL, ByteString.Empty), store.Tip("b"));
    }

    public void Dispose()
    {
        _pki.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
