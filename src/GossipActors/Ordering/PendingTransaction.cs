using Google.Protobuf;

namespace GossipActors.Ordering;

/// <summary>An accepted transaction waiting for its block: <paramref name="Id"/> is its row in the orderer's pending table.</summary>
public sealed record PendingTransaction(long Id, ByteString Transaction)
{
    public int Size => Transaction.Length;
}
