using GossipActors.Ordering;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>Fabric's block cutting rules, on a virtual clock.</summary>
public sealed class BlockCutterTests
{
    private static readonly BatchLimits Limits = new(MaxMessageCount: 3, AbsoluteMaxBytes: 1000, PreferredMaxBytes: 100, BatchTimeout: TimeSpan.FromSeconds(2));
    private readonly ManualTimeProvider _clock = new();
    private long _nextId;

    private PendingTransaction Tx(int size) => new(++_nextId, ByteString.CopyFrom(new byte[size]));

    private static long[] Ids(IReadOnlyList<PendingTransaction> batch) => [.. batch.Select(t => t.Id)];

    [Fact]
    public void A_batch_is_cut_when_it_reaches_MaxMessageCount()
    {
        var cutter = new BlockCutter(Limits);

        Assert.Empty(cutter.Ordered(Tx(10), _clock.GetUtcNow()));
        Assert.Empty(cutter.Ordered(Tx(10), _clock.GetUtcNow()));
        var batches = cutter.Ordered(Tx(10), _clock.GetUtcNow());

        Assert.Equal([1L, 2, 3], Ids(Assert.Single(batches)));
        Assert.Equal(0, cutter.PendingCount);
        Assert.Null(cutter.NextDue);
    }

    [Fact]
    public void A_batch_is_cut_before_a_transaction_that_would_take_it_past_PreferredMaxBytes()
    {
        var cutter = new BlockCutter(Limits);
        cutter.Ordered(Tx(60), _clock.GetUtcNow());

        var batches = cutter.Ordered(Tx(50), _clock.GetUtcNow());

        Assert.Equal([1L], Ids(Assert.Single(batches)));
        Assert.Equal(1, cutter.PendingCount);
        Assert.Equal(50, cutter.PendingBytes);
    }

    [Fact]
    public void A_transaction_larger_than_PreferredMaxBytes_is_cut_alone_after_the_pending_batch()
    {
        var cutter = new BlockCutter(Limits);
        cutter.Ordered(Tx(10), _clock.GetUtcNow());

        var batches = cutter.Ordered(Tx(500), _clock.GetUtcNow());

        Assert.Equal(2, batches.Count);
        Assert.Equal([1L], Ids(batches[0]));
        Assert.Equal([2L], Ids(batches[1]));
        Assert.Equal(0, cutter.PendingCount);
    }

    [Fact]
    public void A_pending_batch_is_cut_when_its_oldest_transaction_has_waited_BatchTimeout()
    {
        var cutter = new BlockCutter(Limits);
        cutter.Ordered(Tx(10), _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(1));
        cutter.Ordered(Tx(10), _clock.GetUtcNow());

        Assert.Null(cutter.Tick(_clock.GetUtcNow()));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(1), cutter.NextDue);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var batch = cutter.Tick(_clock.GetUtcNow());

        Assert.Equal([1L, 2], Ids(batch!));
        Assert.Null(cutter.NextDue);
        Assert.Null(cutter.Tick(_clock.GetUtcNow() + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void The_timeout_restarts_with_the_first_transaction_after_a_cut()
    {
        var cutter = new BlockCutter(Limits);
        cutter.Ordered(Tx(10), _clock.GetUtcNow());
        cutter.Ordered(Tx(10), _clock.GetUtcNow());
        cutter.Ordered(Tx(10), _clock.GetUtcNow()); // cut by count
        _clock.Advance(TimeSpan.FromSeconds(5));

        cutter.Ordered(Tx(10), _clock.GetUtcNow());

        Assert.Equal(_clock.GetUtcNow() + Limits.BatchTimeout, cutter.NextDue);
    }
}
