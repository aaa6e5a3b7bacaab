using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Protocol;

/// <summary>Why a block was refused. <see cref="None"/> means it was accepted.</summary>
public enum BlockRejection
{
    None = 0,
    /// <summary>Unparsable bytes, a missing or unparsable header, or no orderer signature/certificate.</summary>
    Malformed,
    /// <summary>The header names another channel.</summary>
    WrongChannel,
    /// <summary>The orderer certificate's organisation is not trusted at all.</summary>
    UnknownOrderer,
    /// <summary>The orderer certificate is from a trusted organisation but invalid (tampered, expired, ...).</summary>
    InvalidOrdererCertificate,
    /// <summary>The signer is not an ORDERER of an orderer organisation (e.g. a peer signed it).</summary>
    NotAnOrderer,
    /// <summary>The signature does not verify over the header bytes with the orderer's key.</summary>
    BadOrdererSignature,
    /// <summary>The transactions do not hash to the header's data hash (tampered data).</summary>
    BadDataHash,
}

/// <summary>The outcome of verifying one block.</summary>
public sealed record BlockCheck(bool IsValid, BlockRejection Reason, string Detail, BlockHeader? Header, ParsedCertificate? Orderer = null)
{
    public static BlockCheck Rejected(BlockRejection reason, string detail, BlockHeader? header = null, ParsedCertificate? orderer = null) =>
        new(false, reason, detail, header, orderer);
}
