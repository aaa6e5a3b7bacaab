using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Verifies blocks before they are committed or forwarded. Guard ladder: parse → channel → orderer certificate →
/// orderer role and organisation → signature over the header bytes → data hash. Never throws on bad input.
/// </summary>
public sealed class BlockVerifier
{
    private readonly CertificateVerifier _certificates;
    private readonly IReadOnlySet<string> _ordererOrgs;

    public BlockVerifier(CertificateVerifier certificates, IReadOnlySet<string> ordererOrgs)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(ordererOrgs);
        _certificates = certificates;
        _ordererOrgs = ordererOrgs;
    }

    /// <summary>
    /// Parses block bytes (bounded by the caller's frame size) without throwing. The header and transactions share the
    /// given bytes' memory (<see cref="AliasingBlockReader"/>); anything outside the plain layout goes to the generated parser.
    /// </summary>
    public static bool TryParse(ByteString blockBytes, out Block? block, out string? error)
    {
        blockBytes ??= ByteString.Empty;
        try
        {
            block = AliasingBlockReader.TryRead(blockBytes) ?? Block.Parser.ParseFrom(blockBytes);
            error = null;
            return true;
        }
        catch (InvalidProtocolBufferException ex)
        {
            block = null;
            error = "malformed block: " + ex.Message;
            return false;
        }
    }

    public BlockCheck Verify(ByteString blockBytes, string expectedChannel, DateTimeOffset now) =>
        TryParse(blockBytes, out var block, out var error)
            ? Verify(block!, expectedChannel, now)
            : BlockCheck.Rejected(BlockRejection.Malformed, error!);

    public BlockCheck Verify(Block block, string expectedChannel, DateTimeOffset now)
    {
        if (block is null || block.HeaderBytes.IsEmpty)
        {
            return BlockCheck.Rejected(BlockRejection.Malformed, "the block has no header");
        }
        BlockHeader header;
        try
        {
            header = BlockHeader.Parser.ParseFrom(block.HeaderBytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return BlockCheck.Rejected(BlockRejection.Malformed, "the block header does not parse: " + ex.Message);
        }
        var what = $"block {header.Number} of channel '{header.Channel}'";
        if (header.Channel != expectedChannel)
        {
            return BlockCheck.Rejected(BlockRejection.WrongChannel, $"{what} arrived for channel '{expectedChannel}'", header);
        }
        if (block.Metadata is null || block.Metadata.OrdererSignature.IsEmpty || block.Metadata.OrdererCertificate.IsEmpty)
        {
            return BlockCheck.Rejected(BlockRejection.Malformed, $"{what} carries no orderer signature or certificate", header);
        }
        var certificate = _certificates.Verify(block.Metadata.OrdererCertificate, now);
        if (!certificate.IsValid)
        {
            var reason = certificate.Reason == CertificateRejection.UnknownOrganisation ? BlockRejection.UnknownOrderer : BlockRejection.InvalidOrdererCertificate;
            return BlockCheck.Rejected(reason, $"{what}: {certificate.Detail}", header, certificate.Certificate);
        }
        var orderer = certificate.Certificate!;
        if (orderer.Role != NodeRole.Orderer || !_ordererOrgs.Contains(orderer.MspId))
        {
            return BlockCheck.Rejected(BlockRejection.NotAnOrderer,
                $"{what} is signed by '{orderer.Name}' of {orderer.MspId} ({orderer.Role}), not by an orderer of {string.Join(", ", _ordererOrgs.Order(StringComparer.Ordinal))}",
                header, orderer);
        }
        if (!orderer.PublicKey.Verify(block.HeaderBytes.Span, block.Metadata.OrdererSignature.Span))
        {
            return BlockCheck.Rejected(BlockRejection.BadOrdererSignature, $"{what}: the signature of '{orderer.Name}' of {orderer.MspId} does not verify", header, orderer);
        }
        if (!BlockHashes.DataHash(block.Data).Equals(header.DataHash))
        {
            return BlockCheck.Rejected(BlockRejection.BadDataHash, $"{what}: its transactions do not match the signed data hash", header, orderer);
        }
        return new BlockCheck(true, BlockRejection.None, $"{what} signed by '{orderer.Name}' of {orderer.MspId} is valid", header, orderer);
    }

    /// <summary>True if <paramref name="next"/> is the block right after the one whose header hash and number are given.</summary>
    public static bool ExtendsChain(ulong previousNumber, ByteString previousHeaderHash, BlockHeader next)
    {
        ArgumentNullException.ThrowIfNull(previousHeaderHash);
        ArgumentNullException.ThrowIfNull(next);
        return previousNumber != ulong.MaxValue && next.Number == previousNumber + 1 && next.PreviousHash.Equals(previousHeaderHash);
    }

    /// <summary>True if <paramref name="next"/>'s header names <paramref name="previous"/> as its predecessor (number and hash).</summary>
    public static bool ExtendsChain(Block previous, Block next)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(next);
        return TryParseHeader(previous, out var before) && TryParseHeader(next, out var after)
            && ExtendsChain(before!.Number, BlockHashes.HeaderHash(previous), after!);
    }

    public static bool TryParseHeader(Block block, out BlockHeader? header)
    {
        try
        {
            header = block.HeaderBytes.IsEmpty ? null : BlockHeader.Parser.ParseFrom(block.HeaderBytes);
        }
        catch (InvalidProtocolBufferException)
        {
            header = null;
        }
        return header is not null;
    }
}
