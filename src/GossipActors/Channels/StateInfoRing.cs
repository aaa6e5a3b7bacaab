using System.Buffers.Binary;
using GossipActors.Crypto;

namespace GossipActors.Channels;

/// <summary>
/// The PKI-IDs whose state info a peer holds, in ring order (a ring position is the first 8 bytes of a PKI-ID,
/// big-endian), so that a digest pull can name one range of the ring and both sides walk it in the same order.
/// </summary>
public sealed class StateInfoRing
{
    private static readonly PkiId Highest = PkiId.FromBytes(Enumerable.Repeat((byte)0xFF, PkiId.Length).ToArray());

    private readonly SortedSet<PkiId> _ids = [];

    public int Count => _ids.Count;

    public static ulong Position(PkiId id) => BinaryPrimitives.ReadUInt64BigEndian(id.Span);

    /// <summary>Whether <paramref name="position"/> lies in [start, end) on the ring; start == end is the whole ring.</summary>
    public static bool InRange(ulong position, ulong start, ulong end) =>
        start == end || (start < end ? position >= start && position < end : position >= start || position < end);

    public void Add(PkiId id) => _ids.Add(id);

    public void Remove(PkiId id) => _ids.Remove(id);

    /// <summary>Every id once, in ring order starting at the first id at or after <paramref name="start"/>.</summary>
    public IEnumerable<PkiId> From(ulong start)
    {
        if (_ids.Count == 0)
        {
            return [];
        }
        var lowest = LowestAt(start);
        return _ids.GetViewBetween(lowest, Highest).Concat(_ids.TakeWhile(id => id < lowest));
    }

    /// <summary>The ids of the range [start, end) in ring order (start == end: the whole ring).</summary>
    public IEnumerable<PkiId> Range(ulong start, ulong end) =>
        From(start).TakeWhile(id => InRange(Position(id), start, end));

    private static PkiId LowestAt(ulong position)
    {
        var bytes = new byte[PkiId.Length];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, position);
        return PkiId.FromBytes(bytes);
    }
}
