using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Ledger;

/// <summary>The one rule every ledger applies before an append: the block is the next one and extends the chain.</summary>
public static class ChainRule
{
    public static LedgerAppendOutcome Check(ulong height, ByteString lastHash, Block block, out BlockHeader? header)
    {
        if (!BlockVerifier.TryParseHeader(block, out header))
        {
            return LedgerAppendOutcome.Malformed;
        }
        if (header!.Number != height)
        {
            return LedgerAppendOutcome.NotNext;
        }
        var extends = height == 0
            ? header.PreviousHash.IsEmpty
            : BlockVerifier.ExtendsChain(height - 1, lastHash, header);
        return extends ? LedgerAppendOutcome.Committed : LedgerAppendOutcome.DoesNotExtendChain;
    }
}
