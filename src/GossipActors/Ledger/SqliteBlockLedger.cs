using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace GossipActors.Ledger;

/// <summary>
/// A channel's ledger in one SQLite database (WAL): table blocks(number, hash, previous_hash, block). Each append
/// is one transaction, so a peer killed at any moment reopens at its last committed block. One connection, held
/// open for the ledger's life, unpooled (dispose releases the file).
/// </summary>
public sealed class SqliteBlockLedger : IBlockLedger
{
    private readonly SqliteConnection _connection;

    private SqliteBlockLedger(string channel, SqliteConnection connection)
    {
        Channel = channel;
        _connection = connection;
    }

    public string Channel { get; }
    public ulong Height { get; private set; }
    public ByteString LastHash { get; private set; } = ByteString.Empty;
    public string Path => _connection.DataSource;

    /// <summary>Opens (or creates) <c>&lt;directory&gt;/&lt;channel&gt;.sqlite</c>.</summary>
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
        var ledger = new SqliteBlockLedger(channel, connection);
        try
        {
            ledger.Initialise();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return ledger;
    }

    private void Initialise()
    {
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=NORMAL;"); // WAL + NORMAL: survives a killed process; a power cut may lose the last commits, never corrupts
        Execute("CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, hash BLOB NOT NULL, previous_hash BLOB NOT NULL, block BLOB NOT NULL);");
        using var last = _connection.CreateCommand();
        last.CommandText = "SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1;";
        using var reader = last.ExecuteReader();
        if (reader.Read())
        {
            Height = (ulong)reader.GetInt64(0) + 1;
            LastHash = ByteString.CopyFrom((byte[])reader.GetValue(1));
        }
    }

    public LedgerAppendOutcome Append(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var outcome = ChainRule.Check(Height, LastHash, block, out var header);
        if (outcome != LedgerAppendOutcome.Committed)
        {
            return outcome;
        }
        var hash = BlockHashes.HeaderHash(block);
        using (var transaction = _connection.BeginTransaction())
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO blocks (number, hash, previous_hash, block) VALUES ($number, $hash, $previous, $block);";
            insert.Parameters.AddWithValue("$number", (long)header!.Number);
            insert.Parameters.AddWithValue("$hash", hash.ToByteArray());
            insert.Parameters.AddWithValue("$previous", header.PreviousHash.ToByteArray());
            insert.Parameters.AddWithValue("$block", block.ToByteArray());
            insert.ExecuteNonQuery();
            transaction.Commit();
        }
        Height = header.Number + 1;
        LastHash = hash;
        return outcome;
    }

    public Block? Get(ulong number)
    {
        if (number >= Height)
        {
            return null;
        }
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT block FROM blocks WHERE number = $number;";
        select.Parameters.AddWithValue("$number", (long)number);
        return select.ExecuteScalar() is byte[] bytes ? Block.Parser.ParseFrom(bytes) : null;
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
