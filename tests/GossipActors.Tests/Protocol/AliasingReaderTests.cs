using System.Runtime.InteropServices;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Protocol;

/// <summary>The readers that keep slices instead of copies give what the generated parser gives, or step aside.</summary>
public sealed class AliasingReaderTests
{
    private static readonly byte[] Big = [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)];

    private static SignedEnvelope FullEnvelope() => new()
    {
        Payload = ByteString.CopyFrom(Big),
        Signature = ByteString.CopyFromUtf8("signature"),
        SecretEnvelope = new SecretEnvelope { Payload = ByteString.CopyFromUtf8("secret"), Signature = ByteString.CopyFromUtf8("secret-sig") },
        SessionMac = ByteString.CopyFromUtf8("mac"),
        SessionId = ByteString.CopyFromUtf8("sid"),
        SessionCounter = 300,
    };

    private static Block FullBlock() => new()
    {
        HeaderBytes = ByteString.CopyFromUtf8("header"),
        Data = new BlockData { Transactions = { ByteString.CopyFrom(Big), ByteString.Empty, ByteString.CopyFromUtf8("tx") } },
        Metadata = new BlockMetadata { OrdererSignature = ByteString.CopyFromUtf8("sig"), OrdererCertificate = ByteString.CopyFromUtf8("cert") },
    };

    private static bool SharesArray(ByteString slice, byte[] array) =>
        MemoryMarshal.TryGetArray(slice.Memory, out var segment) && ReferenceEquals(segment.Array, array);

    [Fact]
    public void Envelope_read_equals_the_generated_parse_and_its_payload_is_a_slice_of_the_given_array()
    {
        var bytes = FullEnvelope().ToByteArray();

        var read = AliasingEnvelopeReader.TryRead(bytes);

        Assert.Equal(SignedEnvelope.Parser.ParseFrom(bytes), read);
        Assert.True(SharesArray(read!.Payload, bytes));
    }

    [Fact]
    public void Empty_envelope_reads_as_an_empty_envelope()
    {
        Assert.Equal(new SignedEnvelope(), AliasingEnvelopeReader.TryRead([]));
    }

    [Fact]
    public void Envelope_with_an_unknown_field_or_a_wrong_wire_type_or_truncated_bytes_is_left_to_the_generated_parser()
    {
        var bytes = FullEnvelope().ToByteArray();
        byte[] unknownField = [.. bytes, 0x98, 0x06, 0x01];      // field 99, varint
        byte[] wrongWireType = [.. bytes, 0x08, 0x01];           // field 1 as a varint
        byte[] repeatedSecret = [.. bytes, 0x1A, 0x00];          // a second secret part: the generated parser merges

        Assert.Null(AliasingEnvelopeReader.TryRead(unknownField));
        Assert.Null(AliasingEnvelopeReader.TryRead(wrongWireType));
        Assert.Null(AliasingEnvelopeReader.TryRead(repeatedSecret));
        Assert.Null(AliasingEnvelopeReader.TryRead(bytes[..^5]));
        Assert.Null(AliasingEnvelopeReader.TryRead([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])); // length past the end
    }

    [Fact]
    public void Block_read_equals_the_generated_parse_and_its_transactions_share_the_block_bytes()
    {
        var array = FullBlock().ToByteArray();
        var bytes = UnsafeByteOperations.UnsafeWrap(array);

        var read = AliasingBlockReader.TryRead(bytes);

        Assert.Equal(Block.Parser.ParseFrom(array), read);
        Assert.True(SharesArray(read!.Data.Transactions[0], array));
        Assert.True(SharesArray(read.HeaderBytes, array));
    }

    [Fact]
    public void Block_with_an_unknown_field_or_repeated_data_or_truncated_bytes_is_left_to_the_generated_parser()
    {
        var bytes = FullBlock().ToByteArray();

        Assert.Null(AliasingBlockReader.TryRead(ByteString.CopyFrom([.. bytes, 0x20, 0x01])));     // field 4, varint
        Assert.Null(AliasingBlockReader.TryRead(ByteString.CopyFrom([.. bytes, 0x12, 0x00])));     // data again: merged by the generated parser
        Assert.Null(AliasingBlockReader.TryRead(ByteString.CopyFrom(bytes[..^3])));
        Assert.Null(AliasingBlockReader.TryRead(ByteString.CopyFrom([0x12, 0x02, 0x08, 0x01]))); // a transaction as a varint
    }

    [Fact]
    public void Block_parse_falls_back_to_the_generated_parser_and_still_refuses_garbage()
    {
        var withUnknown = ByteString.CopyFrom([.. FullBlock().ToByteArray(), 0x20, 0x01]);

        Assert.True(BlockVerifier.TryParse(withUnknown, out var block, out _));
        Assert.Equal(FullBlock().Data, block!.Data);
        Assert.False(BlockVerifier.TryParse(ByteString.CopyFrom([0x0A, 0x05, 0x01]), out _, out var error));
        Assert.StartsWith("malformed block", error);
    }
}
