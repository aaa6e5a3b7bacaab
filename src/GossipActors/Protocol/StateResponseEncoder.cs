using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Lays out the payload of a state-transfer response (a <see cref="GossipMessage"/> whose content is a
/// <see cref="StateTransferResponse"/> of <see cref="DataMessage"/>s) in one array, byte for byte what the generated
/// encoder writes, and lets the ledger copy each stored block straight into its place. The generated way reads every
/// block into an array of its own and then copies it into the message: two large-object-heap copies per block, where
/// this makes one (docs/state-transfer.md).
/// </summary>
public static class StateResponseEncoder
{
    private const int GossipStateResponseField = GossipMessage.StateResponseFieldNumber;

    /// <summary>
    /// The payload bytes. <paramref name="header"/> carries nonce, channel and tag and no content; the blocks are
    /// numbered from <paramref name="from"/> and have the given sizes; <paramref name="fill"/> receives one slot per
    /// block, exactly that block's size, and must fill each with the block's bytes.
    /// </summary>
    public static byte[] Encode(GossipMessage header, ulong from, IReadOnlyList<int> sizes, Action<IReadOnlyList<Memory<byte>>> fill)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(fill);
        if (header.ContentCase != GossipMessage.ContentOneofCase.None)
        {
            throw new ArgumentException("the header must have no content: the state response is written after it", nameof(header));
        }
        var dataSizes = new int[sizes.Count];
        long responseSize = 0;
        for (var i = 0; i < sizes.Count; i++)
        {
            dataSizes[i] = DataMessageSize(from + (ulong)i, sizes[i]);
            responseSize += TagSize(StateTransferResponse.PayloadsFieldNumber) + CodedOutputStream.ComputeLengthSize(dataSizes[i]) + dataSizes[i];
        }
        var headerSize = header.CalculateSize();
        var total = headerSize + TagSize(GossipStateResponseField) + CodedOutputStream.ComputeLengthSize(checked((int)responseSize)) + responseSize;
        var payload = new byte[checked((int)total)];
        header.WriteTo(payload.AsSpan(0, headerSize));
        var at = headerSize;
        at += WriteTag(payload, at, GossipStateResponseField);
        at += WriteVarint(payload, at, (ulong)responseSize);
        var slots = new Memory<byte>[sizes.Count];
        for (var i = 0; i < sizes.Count; i++)
        {
            at += WriteTag(payload, at, StateTransferResponse.PayloadsFieldNumber);
            at += WriteVarint(payload, at, (ulong)dataSizes[i]);
            var number = from + (ulong)i;
            if (number != 0) // proto3 leaves a zero out, as the generated encoder does
            {
                at += WriteTag(payload, at, DataMessage.SeqNumFieldNumber, wireType: 0);
                at += WriteVarint(payload, at, number);
            }
            if (sizes[i] != 0)
            {
                at += WriteTag(payload, at, DataMessage.BlockFieldNumber);
                at += WriteVarint(payload, at, (ulong)sizes[i]);
                slots[i] = payload.AsMemory(at, sizes[i]);
                at += sizes[i];
            }
        }
        fill(slots);
        return payload;
    }

    private static int DataMessageSize(ulong number, int blockSize) =>
        (number == 0 ? 0 : TagSize(DataMessage.SeqNumFieldNumber) + CodedOutputStream.ComputeUInt64Size(number))
        + (blockSize == 0 ? 0 : TagSize(DataMessage.BlockFieldNumber) + CodedOutputStream.ComputeLengthSize(blockSize) + blockSize);

    private static int TagSize(int field) => CodedOutputStream.ComputeTagSize(field);

    private static int WriteTag(byte[] buffer, int at, int field, int wireType = 2) =>
        WriteVarint(buffer, at, ((ulong)field << 3) | (uint)wireType);

    private static int WriteVarint(byte[] buffer, int at, ulong value)
    {
        var start = at;
        while (value >= 0x80)
        {
            buffer[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[at++] = (byte)value;
        return at - start;
    }
}
