using System.Security.Cryptography;
using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>
/// A peer's identity on the wire: SHA-256 of its serialized certificate (32 bytes).
/// Value semantics, usable as a dictionary key; printed as the first 8 bytes in hex.
/// </summary>
public readonly struct PkiId : IEquatable<PkiId>, IComparable<PkiId>
{
    public const int Length = 32;
    private readonly byte[]? _bytes;

    private PkiId(byte[] bytes) => _bytes = bytes;

    public ReadOnlySpan<byte> Span => _bytes ?? [];
    public bool IsEmpty => _bytes is null;

    public static PkiId FromCertificate(ReadOnlySpan<byte> certificateBytes) => new(SHA256.HashData(certificateBytes));

    public static PkiId FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length
            ? new PkiId(bytes.ToArray())
            : throw new ArgumentException($"A PKI-ID is {Length} bytes, got {bytes.Length}.", nameof(bytes));

    public static bool TryFromBytes(ReadOnlySpan<byte> bytes, out PkiId id)
    {
        id = bytes.Length == Length ? new PkiId(bytes.ToArray()) : default;
        return bytes.Length == Length;
    }

    public static PkiId FromByteString(ByteString bytes) => FromBytes(bytes.Span);

    public ByteString ToByteString() => ByteString.CopyFrom(Span);

    public string ToHex() => Convert.ToHexStringLower(Span);

    public bool Equals(PkiId other) => Span.SequenceEqual(other.Span);
    public override bool Equals(object? obj) => obj is PkiId other && Equals(other);
    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);
    public int CompareTo(PkiId other) => Span.SequenceCompareTo(other.Span);
    public override string ToString() => _bytes is null ? "<none>" : Convert.ToHexStringLower(_bytes.AsSpan(0, 8));

    public static bool operator ==(PkiId left, PkiId right) => left.Equals(right);
    public static bool operator !=(PkiId left, PkiId right) => !left.Equals(right);
    public static bool operator <(PkiId left, PkiId right) => left.CompareTo(right) < 0;
    public static bool operator >(PkiId left, PkiId right) => left.CompareTo(right) > 0;
    public static bool operator <=(PkiId left, PkiId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(PkiId left, PkiId right) => left.CompareTo(right) >= 0;
}
