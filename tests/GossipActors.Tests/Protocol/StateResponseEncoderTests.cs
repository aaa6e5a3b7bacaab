using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Protocol;

public sealed class StateResponseEncoderTests
{
    private static GossipMessage Header(ulong nonce = 7) => new() { Nonce = nonce, Channel = "mychannel", Tag = GossipTag.ChanOnly };

    private static byte[][] Blocks(params int[] sizes) =>
        [.. sizes.Select((size, i) => Enumerable.Range(0, size).Select(b => (byte)(b * 31 + i)).ToArray())];

    private static byte[] Generated(GossipMessage header, ulong from, byte[][] blocks)
    {
        var message = header.Clone();
        message.StateResponse = new StateTransferResponse();
        for (var i = 0; i < blocks.Length; i++)
        {
            message.StateResponse.Payloads.Add(new DataMessage { SeqNum = from + (ulong)i, Block = ByteString.CopyFrom(blocks[i]) });
        }
        return message.ToByteArray();
    }

    private static byte[] Encoded(GossipMessage header, ulong from, byte[][] blocks) =>
        StateResponseEncoder.Encode(header, from, [.. blocks.Select(b => b.Length)], slots =>
        {
            for (var i = 0; i < slots.Count; i++)
            {
                blocks[i].CopyTo(slots[i]);
            }
        });

    [Theory]
    [InlineData(0UL, new[] { 10, 200, 3 })]              // block 0: its number is left out, as proto3 does
    [InlineData(5UL, new[] { 1 })]
    [InlineData(127UL, new[] { 127, 128, 16_383, 16_384 })] // numbers and sizes across varint lengths
    [InlineData(ulong.MaxValue - 1, new[] { 100_000 })]
    [InlineData(3UL, new int[0])]                         // an empty response still carries an empty state_response
    public void Encoded_payload_is_byte_for_byte_what_the_generated_encoder_writes(ulong from, int[] sizes)
    {
        var blocks = Blocks(sizes);

        Assert.Equal(Generated(Header(), from, blocks), Encoded(Header(), from, blocks));
    }

    [Fact]
    public void Encoded_payload_parses_back_to_the_blocks_in_order()
    {
        var blocks = Blocks(300, 70_000, 5);

        var parsed = GossipMessage.Parser.ParseFrom(Encoded(Header(nonce: 42), 9, blocks));

        Assert.Equal(42UL, parsed.Nonce);
        Assert.Equal(GossipMessage.ContentOneofCase.StateResponse, parsed.ContentCase);
        Assert.Equal([9UL, 10UL, 11UL], parsed.StateResponse.Payloads.Select(p => p.SeqNum));
        Assert.Equal(blocks.Select(b => ByteString.CopyFrom(b)), parsed.StateResponse.Payloads.Select(p => p.Block));
    }

    [Fact]
    public void Header_with_content_is_refused()
    {
        var header = Header();
        header.StateRequest = new StateTransferRequest();

        Assert.Throws<ArgumentException>(() => StateResponseEncoder.Encode(header, 0, [], _ => { }));
    }
}
