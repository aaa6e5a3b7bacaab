using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Ledger;

/// <summary>The SQLite ledger and the committer in front of it; each test in its own temporary directory.</summary>
public sealed class SqliteBlockLedgerTests : IDisposable
{
    private const string Channel = "ch";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ledger-" + Guid.NewGuid().ToString("N"));
    private readonly TestPki _pki = new();
    private readonly List<Block> _chain;

    public SqliteBlockLedgerTests() => _chain = TestChain.Create(Channel, 5, _pki.Orderer());

    public void Dispose()
    {
        _pki.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Append_InOrder_CommitsEachBlockAndAdvancesHeightAndHash()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);

        foreach (var block in _chain)
        {
            Assert.Equal(LedgerAppendOutcome.Committed, ledger.Append(block));
        }

        Assert.Equal(5UL, ledger.Height);
        Assert.Equal(BlockHashes.HeaderHash(_chain[4]), ledger.LastHash);
        Assert.Equal(_chain[2], ledger.Get(2));
        Assert.Null(ledger.Get(5));
        Assert.True(File.Exists(Path.Combine(_dir, "ch.sqlite")));
    }

    [Fact]
    public void Append_OutOfOrder_IsNotNextAndChangesNothing()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);

        Assert.Equal(LedgerAppendOutcome.NotNext, ledger.Append(_chain[1]));
        Assert.Equal(0UL, ledger.Height);
    }

    [Fact]
    public void Pipeline_EarlyBlock_IsBufferedUntilTheGapFills_ThenQueuedInOrder()
    {
        var pipeline = new CommitPipeline(0, ByteString.Empty, bufferCapacity: 10);

        Assert.Equal(CommitOutcome.Committed, pipeline.Offer(At(0)));
        Assert.Equal(CommitOutcome.Buffered, pipeline.Offer(At(3)));
        Assert.Equal(CommitOutcome.Buffered, pipeline.Offer(At(2)));
        Assert.Equal(1UL, pipeline.AcceptedHeight);
        Assert.Equal(2, pipeline.Buffered);

        Assert.Equal(CommitOutcome.Committed, pipeline.Offer(At(1)));

        Assert.Equal(4UL, pipeline.AcceptedHeight);
        Assert.Equal(0UL, pipeline.CommittedHeight);
        Assert.Equal(0, pipeline.Buffered);
        Assert.Equal(CommitOutcome.Duplicate, pipeline.Offer(At(2)));
        Assert.Equal([0UL, 1, 2, 3], pipeline.TakeBatch()!.Select(b => b.Number));
    }

    [Fact]
    public void Pipeline_WhileABatchIsBeingWritten_QueuesTheNextBlocksIntoOneLaterBatch()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        var pipeline = new CommitPipeline(0, ByteString.Empty, bufferCapacity: 10);
        pipeline.Offer(At(0));
        var first = pipeline.TakeBatch()!;
        pipeline.Offer(At(1));
        pipeline.Offer(At(2));
        Assert.Null(pipeline.TakeBatch()); // one write in flight at a time

        Assert.Equal(1, ledger.AppendBatch(first));
        pipeline.OnWritten(ledger.Height, ledger.LastHash);
        var second = pipeline.TakeBatch()!;

        Assert.Equal([1UL, 2], second.Select(b => b.Number));
        Assert.Equal(2, ledger.AppendBatch(second));
        pipeline.OnWritten(ledger.Height, ledger.LastHash);
        Assert.Equal(3UL, pipeline.CommittedHeight);
        Assert.Equal(BlockHashes.HeaderHash(_chain[2]), pipeline.CommittedHash);
    }

    [Fact]
    public void Pipeline_BlockFarAheadOfTheBuffer_IsDropped()
    {
        var pipeline = new CommitPipeline(0, ByteString.Empty, bufferCapacity: 2);

        Assert.Equal(CommitOutcome.BeyondBuffer, pipeline.Offer(At(4)));
        Assert.Equal(0, pipeline.Buffered);
    }

    [Fact]
    public void Pipeline_BufferedBlockThatDoesNotExtendTheChain_IsDroppedAndItsSourceNamed()
    {
        var pipeline = new CommitPipeline(0, ByteString.Empty, bufferCapacity: 10);
        var fork = LedgerBlock.From(BlockFactory.Create(Channel, 1, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFromUtf8("fork")], _pki.Orderer("orderer1")))!;
        var liar = _pki.Peer("Org1", "liar").PkiId;
        var breaks = new List<ChainBreak>();

        Assert.Equal(CommitOutcome.Buffered, pipeline.Offer(fork, liar, breaks));
        Assert.Equal(CommitOutcome.Committed, pipeline.Offer(At(0), null, breaks));

        Assert.Equal([new ChainBreak(1, liar)], breaks);
        Assert.Equal(1UL, pipeline.AcceptedHeight);
        Assert.Equal(1, pipeline.ChainRejections);
        Assert.Equal(CommitOutcome.Committed, pipeline.Offer(At(1)));
    }

    [Fact]
    public void AppendBatch_CommitsTheLeadingRunThatExtendsTheChain()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);

        Assert.Equal(3, ledger.AppendBatch([At(0), At(1), At(2), At(4)]));

        Assert.Equal(3UL, ledger.Height);
        Assert.Null(ledger.CheckChain());
        Assert.Equal(0, ledger.AppendBatch([At(4)]));
    }

    [Fact]
    public void ReadRange_ReturnsCommittedBytesAsStored_WithinTheByteLimit()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        ledger.AppendBatch([.. _chain.Select(b => LedgerBlock.From(b)!)]);
        var size = _chain[1].CalculateSize();

        Assert.Equal([.. _chain.Skip(1).Take(3).Select(b => b.ToByteString())], ledger.ReadRange(1, 3, long.MaxValue));
        Assert.Equal(2, ledger.ReadRange(1, 4, 2 * size + size / 2).Count);
        Assert.Single(ledger.ReadRange(1, 4, 1)); // at least one block
        Assert.Equal(2, ledger.ReadRange(3, 99, long.MaxValue).Count);
        Assert.Empty(ledger.ReadRange(5, 9, long.MaxValue));
    }

    [Fact]
    public void RangeSizes_and_CopyRange_give_the_same_blocks_as_ReadRange_within_the_same_byte_limit()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        ledger.AppendBatch([.. _chain.Select(b => LedgerBlock.From(b)!)]);
        var size = _chain[1].CalculateSize();

        foreach (var (from, to, limit) in new[] { (1UL, 3UL, long.MaxValue), (1UL, 4UL, 2L * size + size / 2), (1UL, 4UL, 1L), (3UL, 99UL, long.MaxValue), (5UL, 9UL, long.MaxValue) })
        {
            var expected = ledger.ReadRange(from, to, limit);
            var sizes = ledger.RangeSizes(from, to, limit);
            Assert.Equal([.. expected.Select(b => b.Length)], sizes);
            var slots = sizes.Select(n => new Memory<byte>(new byte[n])).ToList();
            ledger.CopyRange(from, slots);
            Assert.Equal([.. expected], slots.Select(s => ByteString.CopyFrom(s.Span)));
        }
    }

    [Fact]
    public void CopyRange_refuses_a_block_above_the_height_or_a_slot_of_the_wrong_size()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        ledger.AppendBatch([.. _chain.Take(2).Select(b => LedgerBlock.From(b)!)]);
        var size = ledger.RangeSizes(1, 1, long.MaxValue)[0];

        Assert.Throws<ArgumentOutOfRangeException>(() => ledger.CopyRange(2, [new byte[size]]));
        Assert.Throws<ArgumentException>(() => ledger.CopyRange(1, [new byte[size + 1]]));
    }

    [Fact]
    public void Append_BlockThatDoesNotExtendTheChain_IsRejected()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        ledger.Append(_chain[0]);
        // A correctly signed block 1 that names another predecessor (a fork).
        var fork = BlockFactory.Create(Channel, 1, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFromUtf8("fork")], _pki.Orderer("orderer1"));
        var pipeline = new CommitPipeline(ledger.Height, ledger.LastHash, bufferCapacity: 10);

        Assert.Equal(LedgerAppendOutcome.DoesNotExtendChain, ledger.Append(fork));
        Assert.Equal(CommitOutcome.Rejected, pipeline.Offer(LedgerBlock.From(fork)!));
        Assert.Equal(1UL, ledger.Height);
        Assert.Equal(1, pipeline.ChainRejections);
        Assert.Equal(LedgerAppendOutcome.Committed, ledger.Append(_chain[1]));
    }

    [Fact]
    public void Append_GenesisThatNamesAPredecessor_IsRejected()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        var bogus = BlockFactory.Create(Channel, 0, BlockHashes.HeaderHash(_chain[0]), [], _pki.Orderer("orderer1"));

        Assert.Equal(LedgerAppendOutcome.DoesNotExtendChain, ledger.Append(bogus));
    }

    [Fact]
    public void Open_AfterDispose_RestartsAtTheLastCommittedBlock()
    {
        using (var ledger = SqliteBlockLedger.Open(_dir, Channel))
        {
            ledger.Append(_chain[0]);
            ledger.Append(_chain[1]);
            ledger.Append(_chain[2]);
        }

        using var reopened = SqliteBlockLedger.Open(_dir, Channel);

        Assert.Equal(3UL, reopened.Height);
        Assert.Equal(BlockHashes.HeaderHash(_chain[2]), reopened.LastHash);
        Assert.Equal(LedgerAppendOutcome.NotNext, reopened.Append(_chain[2]));
        Assert.Equal(LedgerAppendOutcome.Committed, reopened.Append(_chain[3]));
        Assert.Equal(_chain[1], reopened.Get(1));
    }

    [Fact]
    public void InMemoryLedger_AppliesTheSameChainRule()
    {
        using var ledger = new InMemoryBlockLedger(Channel);

        Assert.Equal(LedgerAppendOutcome.NotNext, ledger.Append(_chain[1]));
        Assert.Equal(LedgerAppendOutcome.Committed, ledger.Append(_chain[0]));
        Assert.Equal(LedgerAppendOutcome.Committed, ledger.Append(_chain[1]));
        Assert.Equal(2UL, ledger.Height);
        Assert.Equal(_chain[1], ledger.Get(1));
    }

    private LedgerBlock At(int number) => LedgerBlock.From(_chain[number])!;
}
