using System.Runtime.InteropServices;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Protocol;

/// <summary>A state response is read with its blocks as slices of the payload, as the generated parser reads it, or left to it.</summary>
public sealed class AliasingStateResponseReaderTests
{
    private static readonly byte[] Big = [.. Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7))];

    private static GossipMessage Response() => new()
    {
        Nonce = 12345678901234,
        Channel = "mychannel",
        Tag = GossipTag.ChanOnly,
        StateResponse = new StateTransferResponse
        {
            Payloads =
            {
                new DataMessage { SeqNum = 7, Block = ByteString.CopyFrom(Big), PushTtl = 3, DigestTtl = 4 },
                new DataMessage { SeqNum = 8, Block = ByteString.CopyFromUtf8("small block") },
                new DataMessage { SeqNum = 9 },
            },
        },
    };

    private static bool SharesArray(ByteString slice, byte[] array) =>
        MemoryMarshal.TryGetArray(slice.Memory, out var segment) && ReferenceEquals(segment.Array, array);

    [Fact]
    public void State_response_read_equals_the_generated_parse_and_its_blocks_are_slices_of_the_payload()
    {
        var array = Response().ToByteArray();

        var read = AliasingStateResponseReader.TryRead(UnsafeByteOperations.UnsafeWrap(array));

        Assert.Equal(GossipMessage.Parser.ParseFrom(array), read);
        Assert.True(SharesArray(read!.StateResponse.Payloads[0].Block, array));
        Assert.True(SharesArray(read.StateResponse.Payloads[1].Block, array));
    }

    [Fact]
    public void Payload_that_is_a_slice_of_a_larger_array_reads_the_same()
    {
        var inner = Response().ToByteArray();
        byte[] outer = [1, 2, 3, .. inner, 4, 5];

        var read = AliasingStateResponseReader.TryRead(UnsafeByteOperations.UnsafeWrap(outer.AsMemory(3, inner.Length)));

        Assert.Equal(GossipMessage.Parser.ParseFrom(inner), read);
        Assert.True(SharesArray(read!.StateResponse.Payloads[0].Block, outer));
    }

    [Fact]
    public void Empty_state_response_reads_as_a_state_response_without_blocks()
    {
        var array = new GossipMessage { Nonce = 1, StateResponse = new StateTransferResponse() }.ToByteArray();

        var read = AliasingStateResponseReader.TryRead(ByteString.CopyFrom(array));

        Assert.Equal(GossipMessage.ContentOneofCase.StateResponse, read!.ContentCase);
        Assert.Equal(GossipMessage.Parser.ParseFrom(array), read);
    }

    [Fact]
    public void Other_content_or_no_content_is_left_to_the_generated_parser()
    {
        var data = new GossipMessage { Channel = "c", DataMsg = new DataMessage { SeqNum = 1, Block = ByteString.CopyFrom(Big) } };

        Assert.Null(AliasingStateResponseReader.TryRead(data.ToByteString()));
        Assert.Null(AliasingStateResponseReader.TryRead(new GossipMessage { Nonce = 5, Channel = "c" }.ToByteString()));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.Empty));
    }

    [Fact]
    public void Unknown_field_second_response_wrong_wire_type_bad_text_or_truncated_bytes_are_left_to_the_generated_parser()
    {
        var bytes = Response().ToByteArray();
        byte[] unknownField = [.. bytes, 0x98, 0x06, 0x01];            // field 99, varint
        byte[] secondResponse = [.. bytes, 0x92, 0x01, 0x00];          // field 18 again: the generated parser merges
        byte[] wrongWireType = [.. bytes, 0x08 | 0x02, 0x00];          // field 1 (nonce) as length-delimited
        byte[] invalidUtf8Channel = [0x12, 0x02, 0xC3, 0x28, 0x92, 0x01, 0x00];
        byte[] unknownDataField = [0x92, 0x01, 0x04, 0x0A, 0x02, 0x28, 0x01]; // payload with field 5
        byte[] oversizedTtl = [0x92, 0x01, 0x09, 0x0A, 0x07, 0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01];

        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(unknownField)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(secondResponse)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(wrongWireType)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(invalidUtf8Channel)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(unknownDataField)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(oversizedTtl)));
        Assert.Null(AliasingStateResponseReader.TryRead(ByteString.CopyFrom(bytes[..^5])));
    }

    [Fact]
    public void Envelope_codec_parses_a_state_response_without_copying_its_blocks()
    {
        var array = Response().ToByteArray();
        var envelope = new SignedEnvelope { Payload = UnsafeByteOperations.UnsafeWrap(array) };

        Assert.True(EnvelopeCodec.TryParsePayload(envelope, out var message, out var error));

        Assert.Null(error);
        Assert.Equal(GossipMessage.Parser.ParseFrom(array), message);
        Assert.True(SharesArray(message!.StateResponse.Payloads[0].Block, array));
    }
}
