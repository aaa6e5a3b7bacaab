using System.Buffers.Binary;
using System.Security.Cryptography;

namespace GossipActors.Comm;

/// <summary>
/// HMAC-SHA256 under one directional session key, over session id | counter (8 bytes, little-endian) | payload. One
/// instance per key, reused for every message (no allocation but the 32-byte tag on send); single owner, not
/// thread-safe (the comm actor).
/// </summary>
public sealed class SessionMac(byte[] key) : IDisposable
{
    public const int TagLength = 32;
    private readonly IncrementalHash _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

    public byte[] Compute(ReadOnlySpan<byte> sessionId, ulong counter, ReadOnlySpan<byte> payload)
    {
        var tag = new byte[TagLength];
        Tag(sessionId, counter, payload, tag);
        return tag;
    }

    public bool Verify(ReadOnlySpan<byte> sessionId, ulong counter, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> tag)
    {
        if (tag.Length != TagLength)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[TagLength];
        Tag(sessionId, counter, payload, expected);
        return CryptographicOperations.FixedTimeEquals(expected, tag);
    }

    private void Tag(ReadOnlySpan<byte> sessionId, ulong counter, ReadOnlySpan<byte> payload, Span<byte> into)
    {
        Span<byte> counterBytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(counterBytes, counter);
        _hmac.AppendData(sessionId);
        _hmac.AppendData(counterBytes);
        _hmac.AppendData(payload);
        _hmac.GetHashAndReset(into);
    }

    public void Dispose() => _hmac.Dispose();
}
