using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace GossipActors.Ordering;

/// <summary>
/// The orderer's durable state in one SQLite database (WAL): every channel's chain (table blocks) and the accepted
/// transactions not yet in a block (table pending). A transaction is acknowledged only after its row is committed;
/// a block is stored and its transactions removed from pending in one transaction, so after a crash at any moment
/// every accepted transaction is either in a stored block or still pending (and is cut again at start).
/// Single owner (the orderer actor); not thread-safe.
/// </summary>
public sealed class OrdererStore : IDisposable
{
    public const string FileName = "orderer.sqlite";
    private readonly SqliteConnection _connection;

    private OrdererStore(SqliteConnection connection) => _connection = connection;

    public string Path => _connection.DataSource;

    /// <summary>Opens (or creates) <c>&lt;directory&gt;/orderer.sqlite</c>.</summary>
    public static OrdererStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = System.IO.Path.Combine(directory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var store = new OrdererStore(connection);
        try
        {
            store.Execute("PRAGMA journal_mode=WAL;");
            store.Execute("PRAGMA synchronous=NORMAL;"); // survives a killed process; a power cut may lose the last writes
            store.Execute("CREATE TABLE IF NOT EXISTS blocks (channel TEXT NOT NULL, number INTEGER NOT NULL, hash BLOB NOT NULL, block BLOB NOT NULL, PRIMARY KEY (channel, number));");
            store.Execute("CREATE TABLE IF NOT EXISTS pending (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, tx BLOB NOT NULL);");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>Commits the transactions to the pending table in one write; returns them with their row ids, in order.</summary>
    public IReadOnlyList<(string Channel, PendingTransaction Transaction)> Persist(IReadOnlyList<(string Channel, ByteString Transaction)> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var rows = new List<(string, PendingTransaction)>(accepted.Count);
        using var transaction = _connection.BeginTransaction();
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO pending (channel, tx) VALUES ($channel, $tx) RETURNING id;";
        var channel = insert.Parameters.Add("$channel", SqliteType.Text);
        var tx = insert.Parameters.Add("$tx", SqliteType.Blob);
        foreach (var (name, bytes) in accepted)
        {
            channel.Value = name;
            tx.Value = bytes.ToByteArray();
            var id = (long)insert.ExecuteScalar()!;
            rows.Add((name, new PendingTransaction(id, bytes)));
        }
        transaction.Commit();
        return rows;
    }

    /// <summary>Stores block <paramref name="number"/> and removes its transactions from pending, atomically.</summary>
    public void AppendBlock(string channel, ulong number, ByteString hash, byte[] block, IEnumerable<PendingTransaction> included)
    {
        using var transaction = _connection.BeginTransaction();
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO blocks (channel, number, hash, block) VALUES ($channel, $number, $hash, $block);";
            insert.Parameters.AddWithValue("$channel", channel);
            insert.Parameters.AddWithValue("$number", (long)number);
            insert.Parameters.AddWithValue("$hash", hash.ToByteArray());
            insert.Parameters.AddWithValue("$block", block);
            insert.ExecuteNonQuery();
        }
        using (var delete = _connection.CreateCommand())
        {
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM pending WHERE id = $id;";
            var id = delete.Parameters.Add("$id", SqliteType.Integer);
            foreach (var pending in included)
            {
                id.Value = pending.Id;
                delete.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    /// <summary>The channel's height (number of stored blocks) and the header hash of its last block (empty at 0).</summary>
    public (ulong Height, ByteString LastHash) Tip(string channel)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT number, hash FROM blocks WHERE channel = $channel ORDER BY number DESC LIMIT 1;";
        select.Parameters.AddWithValue("$channel", channel);
        using var reader = select.ExecuteReader();
        return reader.Read()
            ? ((ulong)reader.GetInt64(0) + 1, ByteString.CopyFrom((byte[])reader.GetValue(1)))
            : (0UL, ByteString.Empty);
    }

    /// <summary>A stored block's bytes, or null.</summary>
    public byte[]? Block(string channel, ulong number)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT block FROM blocks WHERE channel = $channel AND number = $number;";
        select.Parameters.AddWithValue("$channel", channel);
        select.Parameters.AddWithValue("$number", (long)number);
        return select.ExecuteScalar() as byte[];
    }

    /// <summary>The channel's accepted transactions not yet in a block, in the order they were accepted.</summary>
    public IReadOnlyList<PendingTransaction> Pending(string channel)
    {
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT id, tx FROM pending WHERE channel = $channel ORDER BY id;";
        select.Parameters.AddWithValue("$channel", channel);
        using var reader = select.ExecuteReader();
        var rows = new List<PendingTransaction>();
        while (reader.Read())
        {
            rows.Add(new PendingTransaction(reader.GetInt64(0), ByteString.CopyFrom((byte[])reader.GetValue(1))));
        }
        return rows;
    }

    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
