using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace GossipActors.Ledger;

/// <summary>
/// A channel's ledger in one SQLite database (WAL): table blocks(number, hash, previous_hash, block). Each append
/// (one block, or a batch) is one transaction, so a peer killed at any moment reopens at its last committed block
/// with the chain intact. One connection, held open for the ledger's life, unpooled (dispose releases the file).
/// </summary>
public sealed class SqliteBlockLedger : IBlockLedger
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _readRange;
    private readonly SqliteCommand _rangeSizes;

    private SqliteBlockLedger(string channel, SqliteConnection connection)
    {
        Channel = channel;
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = "INSERT INTO blocks (number, hash, previous_hash, block) VALUES ($number, $hash, $previous, $block);";
        _insert.Parameters.Add("$number", SqliteType.Integer);
        _insert.Parameters.Add("$hash", SqliteType.Blob);
        _insert.Parameters.Add("$previous", SqliteType.Blob);
        _insert.Parameters.Add("$block", SqliteType.Blob);
        _readRange = connection.CreateCommand();
        _readRange.CommandText = "SELECT block FROM blocks WHERE number >= $from AND number <= $to ORDER BY number;";
        _readRange.Parameters.Add("$from", SqliteType.Integer);
        _readRange.Parameters.Add("$to", SqliteType.Integer);
        _rangeSizes = connection.CreateCommand();
        _rangeSizes.CommandText = "SELECT length(block) FROM blocks WHERE number >= $from AND number <= $to ORDER BY number;";
        _rangeSizes.Parameters.Add("$from", SqliteType.Integer);
        _rangeSizes.Parameters.Add("$to", SqliteType.Integer);
    }

    public string Channel { get; }
    public ulong Height { get; private set; }
    public ByteString LastHash { get; private set; } = ByteString.Empty;
    public string Path => _connection.DataSource;

    /// <summary>
    /// Opens (or creates) <c>&lt;directory&gt;/&lt;channel&gt;.sqlite</c>. The last block is checked against its
    /// stored hash and the row count against the height, so a damaged file is reported at start, not served.
    /// </summary>
    public static SqliteBlockLedger Open(string directory, string channel)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, channel + ".sqlite");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        try
        {
            Initialise(connection);
            var ledger = new SqliteBlockLedger(channel, connection);
            ledger.ReadTail();
            return ledger;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Initialise(SqliteConnection connection)
    {
        // 16 KiB pages (set before the file is first written; an existing ledger keeps its own): a 100 KB block spans
        // 7 overflow pages instead of 25, which about doubles the write rate of large blocks here (docs/state-transfer.md).
        Execute(connection, "PRAGMA page_size=16384;");
        Execute(connection, "PRAGMA journal_mode=WAL;");
        Execute(connection, "PRAGMA synchronous=NORMAL;"); // WAL + NORMAL: survives a killed process; a power cut may lose the last commits, never corrupts
        Execute(connection, "CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash BLOB NOT NULL, previous_hash BLOB NOT NULL, block BLOB NOT NULL);");
    }

    private void ReadTail()
    {
        using var last = _connection.CreateCommand();
        last.CommandText = "SELECT number, hash, block, (SELECT COUNT(*) FROM blocks) FROM blocks ORDER BY number DESC LIMIT 1;";
        using var reader = last.ExecuteReader();
        if (!reader.Read())
        {
            return;
        }
        var number = (ulong)reader.GetInt64(0);
        var hash = ByteString.CopyFrom((byte[])reader.GetValue(1));
        var block = Block.Parser.ParseFrom((byte[])reader.GetValue(2));
        var count = (ulong)reader.GetInt64(3);
        if (count != number + 1)
        {
            throw new InvalidDataException($"Ledger {Path} of channel '{Channel}' has {count} blocks but its last is block {number}: a gap.");
        }
        if (!BlockHashes.HeaderHash(block).Equals(hash))
        {
            throw new InvalidDataException($"Ledger {Path} of channel '{Channel}': block {number} does not match its stored hash.");
        }
        Height = number + 1;
        LastHash = hash;
    }

    public LedgerAppendOutcome Append(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var outcome = ChainRule.Check(Height, LastHash, block, out _);
        if (outcome == LedgerAppendOutcome.Committed)
        {
            AppendBatch([LedgerBlock.From(block)!]);
        }
        return outcome;
    }

    public int AppendBatch(IReadOnlyList<LedgerBlock> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var height = Height;
        var lastHash = LastHash;
        var count = 0;
        while (count < blocks.Count && blocks[count].Extends(height, lastHash))
        {
            height++;
            lastHash = blocks[count].Hash;
            count++;
        }
        if (count == 0)
        {
            return 0;
        }
        using (var transaction = _connection.BeginTransaction())
        {
            _insert.Transaction = transaction;
            for (var i = 0; i < count; i++)
            {
                var block = blocks[i];
                _insert.Parameters[0].Value = (long)block.Number;
                _insert.Parameters[1].Value = ArrayOf(block.Hash);
                _insert.Parameters[2].Value = ArrayOf(block.PreviousHash);
                _insert.Parameters[3].Value = ArrayOf(block.Bytes);
                _insert.ExecuteNonQuery();
            }
            transaction.Commit();
            _insert.Transaction = null;
        }
        Height = height;
        LastHash = lastHash;
        return count;
    }

    public Block? Get(ulong number) =>
        ReadRange(number, number, long.MaxValue) is [var bytes] ? Block.Parser.ParseFrom(bytes) : null;

    public IReadOnlyList<ByteString> ReadRange(ulong from, ulong to, long maxBytes) =>
        ReadWithin(_readRange, from, to, maxBytes, static row => UnsafeByteOperations.UnsafeWrap((byte[])row.GetValue(0)), static block => block.Length);

    public IReadOnlyList<int> RangeSizes(ulong from, ulong to, long maxBytes) =>
        ReadWithin(_rangeSizes, from, to, maxBytes, static row => row.GetInt32(0), static size => size);

    /// <summary>
    /// One value per block of <paramref name="from"/>..<paramref name="to"/> (cut at the height), read by
    /// <paramref name="query"/> in block order, while the sizes taken add up to at most <paramref name="maxBytes"/>
    /// (the first block always, whatever its size); empty when <paramref name="from"/> is not below the height.
    /// </summary>
    private List<T> ReadWithin<T>(SqliteCommand query, ulong from, ulong to, long maxBytes, Func<SqliteDataReader, T> read, Func<T, int> sizeOf)
    {
        var values = new List<T>();
        if (from >= Height || to < from)
        {
            return values;
        }
        query.Parameters[0].Value = (long)from;
        query.Parameters[1].Value = (long)Math.Min(to, Height - 1);
        using var reader = query.ExecuteReader();
        long total = 0;
        while (reader.Read())
        {
            var value = read(reader);
            var size = sizeOf(value);
            if (values.Count > 0 && total + size > maxBytes)
            {
                break;
            }
            values.Add(value);
            total += size;
        }
        return values;
    }

    /// <summary>Incremental blob reads (the block number is the rowid): SQLite's pages go straight into the destination.</summary>
    public void CopyRange(ulong from, IReadOnlyList<Memory<byte>> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        for (var i = 0; i < destinations.Count; i++)
        {
            var number = from + (ulong)i;
            if (number >= Height)
            {
                throw new ArgumentOutOfRangeException(nameof(destinations), $"block {number} is not committed (height {Height})");
            }
            using var blob = new SqliteBlob(_connection, "blocks", "block", (long)number, readOnly: true);
            var destination = destinations[i].Span;
            if (blob.Length != destination.Length)
            {
                throw new ArgumentException($"block {number} has {blob.Length} bytes, its slot {destination.Length}", nameof(destinations));
            }
            blob.ReadExactly(destination);
        }
    }

    /// <summary>
    /// Checks the whole stored chain: numbers 0..Height-1 without a gap, each block's bytes hashing to its stored
    /// hash, and each previous hash equal to the stored hash of the block before. Returns null if intact, else what is wrong.
    /// </summary>
    public string? CheckChain()
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT number, hash, previous_hash, block FROM blocks ORDER BY number;";
        using var reader = select.ExecuteReader();
        ulong expected = 0;
        var previous = ByteString.Empty;
        while (reader.Read())
        {
            var number = (ulong)reader.GetInt64(0);
            var hash = ByteString.CopyFrom((byte[])reader.GetValue(1));
            var previousHash = ByteString.CopyFrom((byte[])reader.GetValue(2));
            var block = Block.Parser.ParseFrom((byte[])reader.GetValue(3));
            if (number != expected)
            {
                return $"block {number} follows block {(long)expected - 1}: a gap";
            }
            if (!BlockHashes.HeaderHash(block).Equals(hash))
            {
                return $"block {number} does not match its stored hash";
            }
            var check = ChainRule.Check(number, previous, block, out _);
            if (check != LedgerAppendOutcome.Committed || !previousHash.Equals(previous))
            {
                return $"block {number} does not extend block {(long)number - 1}: {check}";
            }
            previous = hash;
            expected++;
        }
        return expected == Height ? null : $"{expected} blocks stored but the height is {Height}";
    }

    public void Dispose()
    {
        _insert.Dispose();
        _readRange.Dispose();
        _connection.Dispose();
    }

    /// <summary>The array behind the bytes when they fill one (no copy of a 100 KB block), else a copy.</summary>
    private static byte[] ArrayOf(ByteString bytes) =>
        MemoryMarshal.TryGetArray(bytes.Memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToByteArray();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
