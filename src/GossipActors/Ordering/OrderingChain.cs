using GossipActors.Crypto;
using GossipActors.Protocol;
using Google.Protobuf;

namespace GossipActors.Ordering;

/// <summary>
/// One channel at the orderer: its block cutter and the tip of its chain. Seals cut batches into signed,
/// hash-chained blocks and stores each with the removal of its transactions from pending (one SQLite transaction).
/// </summary>
public sealed class OrderingChain
{
    private readonly OrdererStore _store;
    private readonly NodeIdentity _identity;

    /// <summary>Reads the tip from the store and re-orders the transactions still pending, so none is lost.</summary>
    public OrderingChain(string channel, BatchLimits limits, OrdererStore store, NodeIdentity identity, DateTimeOffset now)
    {
        Channel = channel;
        _store = store;
        _identity = identity;
        Cutter = new BlockCutter(limits);
        (Height, LastHash) = store.Tip(channel);
        foreach (var pending in store.Pending(channel))
        {
            foreach (var batch in Cutter.Ordered(pending, now))
            {
                Seal(batch, now);
            }
            Recovered++;
        }
    }

    public string Channel { get; }
    public BlockCutter Cutter { get; }
    public ulong Height { get; private set; }
    public ByteString LastHash { get; private set; }

    /// <summary>Transactions found pending in the store at start (accepted before a restart, not yet in a block).</summary>
    public int Recovered { get; }

    /// <summary>Orders one persisted transaction; returns how many blocks it completed.</summary>
    public int Order(PendingTransaction transaction, DateTimeOffset now)
    {
        var batches = Cutter.Ordered(transaction, now);
        foreach (var batch in batches)
        {
            Seal(batch, now);
        }
        return batches.Count;
    }

    /// <summary>Cuts the pending batch if it has timed out; true if a block was made.</summary>
    public bool Tick(DateTimeOffset now)
    {
        if (Cutter.Tick(now) is not { Count: > 0 } batch)
        {
            return false;
        }
        Seal(batch, now);
        return true;
    }

    /// <summary>Signs the batch as the next block, its header stamped with the cut time <paramref name="now"/>.</summary>
    private void Seal(IReadOnlyList<PendingTransaction> batch, DateTimeOffset now)
    {
        var block = BlockFactory.Create(Channel, Height, LastHash, batch.Select(t => t.Transaction), _identity, now);
        var hash = BlockHashes.HeaderHash(block);
        _store.AppendBlock(Channel, Height, hash, block.ToByteArray(), batch);
        Height++;
        LastHash = hash;
    }
}
