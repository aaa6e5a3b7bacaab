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
    private readonly List<Block> _chain = [];

    public SqliteBlockLedgerTests()
    {
        var orderer = _pki.Orderer();
        var previous = ByteString.Empty;
        for (ulong n = 0; n < 5; n++)
        {
            var block = BlockFactory.Create(Channel, n, previous, [ByteString.CopyFromUtf8($"tx {n}")], orderer);
            _chain.Add(block);
            previous = BlockHashes.HeaderHash(block);
        }
    }

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
    public void Committer_EarlyBlock_IsBufferedUntilTheGapFills()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        var committer = new BlockCommitter(ledger, bufferCapacity: 10);
        var committed = new List<Block>();

        Assert.Equal(CommitOutcome.Committed, committer.Offer(_chain[0], committed));
        Assert.Equal(CommitOutcome.Buffered, committer.Offer(_chain[3], committed));
        Assert.Equal(CommitOutcome.Buffered, committer.Offer(_chain[2], committed));
        Assert.Equal(1UL, ledger.Height);
        Assert.Equal(2, committer.Buffered);

        Assert.Equal(CommitOutcome.Committed, committer.Offer(_chain[1], committed));

        Assert.Equal(4UL, ledger.Height);
        Assert.Equal([0UL, 1, 2, 3], committed.Select(Number));
        Assert.Equal(0, committer.Buffered);
        Assert.Equal(CommitOutcome.Duplicate, committer.Offer(_chain[2], committed));
    }

    [Fact]
    public void Committer_BlockFarAheadOfTheBuffer_IsDropped()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        var committer = new BlockCommitter(ledger, bufferCapacity: 2);

        Assert.Equal(CommitOutcome.BeyondBuffer, committer.Offer(_chain[4], []));
        Assert.Equal(0, committer.Buffered);
    }

    [Fact]
    public void Append_BlockThatDoesNotExtendTheChain_IsRejected()
    {
        using var ledger = SqliteBlockLedger.Open(_dir, Channel);
        ledger.Append(_chain[0]);
        // A correctly signed block 1 that names another predecessor (a fork).
        var fork = BlockFactory.Create(Channel, 1, ByteString.CopyFrom(new byte[32]), [ByteString.CopyFromUtf8("fork")], _pki.Orderer("orderer1"));
        var committer = new BlockCommitter(ledger, bufferCapacity: 10);

        Assert.Equal(LedgerAppendOutcome.DoesNotExtendChain, ledger.Append(fork));
        Assert.Equal(CommitOutcome.Rejected, committer.Offer(fork, []));
        Assert.Equal(1UL, ledger.Height);
        Assert.Equal(1, committer.ChainRejections);
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

    private static ulong Number(Block block) => BlockHeader.Parser.ParseFrom(block.HeaderBytes).Number;
}
