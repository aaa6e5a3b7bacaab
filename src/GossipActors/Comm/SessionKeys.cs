using System.Security.Cryptography;
using System.Text;
using GossipActors.Crypto;
using NSec.Cryptography;

namespace GossipActors.Comm;

/// <summary>
/// A fresh X25519 key pair for one handshake. Its public half travels in the signed handshake; the private half
/// agrees the session keys with the other side's ephemeral public key, then is disposed (forward secrecy).
/// </summary>
public sealed class EphemeralKey : IDisposable
{
    private static readonly KeyAgreementAlgorithm Algorithm = KeyAgreementAlgorithm.X25519;
    private readonly Key _key;

    private EphemeralKey(Key key)
    {
        _key = key;
        Public = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    public const int PublicLength = 32;

    public byte[] Public { get; }

    public static EphemeralKey Create() => new(Key.Create(Algorithm));

    /// <summary>The raw X25519 shared secret with <paramref name="peerPublic"/>, or null when that is not a usable key.</summary>
    internal SharedSecret? Agree(ReadOnlySpan<byte> peerPublic)
    {
        if (peerPublic.Length != PublicLength
            || !PublicKey.TryImport(Algorithm, peerPublic, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            return null;
        }
        try
        {
            return Algorithm.Agree(_key, imported);
        }
        catch (CryptographicException)
        {
            return null; // a low-order point: the agreement yields nothing secret
        }
    }

    public void Dispose() => _key.Dispose();
}

/// <summary>
/// The two directional MAC keys of one session, agreed in a handshake: HKDF-SHA256 over the X25519 shared secret,
/// salted with both ephemeral public keys and bound (info) to both PKI-IDs and both comm addresses, so a key agreed
/// with one peer at one address is useless for any other pair. The session id is public (it names the session in
/// every envelope); the keys never leave the two comm actors.
/// </summary>
public sealed record SessionKeys(byte[] Id, byte[] InitiatorToResponder, byte[] ResponderToInitiator)
{
    public const int IdLength = 16;
    public const int KeyLength = 32;
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("GossipActors comm session v1");

    /// <summary>Null when the other side's ephemeral key is unusable.</summary>
    public static SessionKeys? Agree(EphemeralKey own, ReadOnlySpan<byte> peerPublic, bool weInitiated,
        PkiId initiator, PkiId responder, string initiatorAddress, string responderAddress)
    {
        using var secret = own.Agree(peerPublic);
        if (secret is null)
        {
            return null;
        }
        var initiatorKey = weInitiated ? own.Public : peerPublic.ToArray();
        var responderKey = weInitiated ? peerPublic.ToArray() : own.Public;
        var salt = Concat(initiatorKey, responderKey);
        var info = Concat(Label, initiator.ToByteString().ToByteArray(), responder.ToByteString().ToByteArray(),
            Encoding.UTF8.GetBytes(initiatorAddress), [0], Encoding.UTF8.GetBytes(responderAddress));
        var okm = KeyDerivationAlgorithm.HkdfSha256.DeriveBytes(secret, salt, info, 2 * KeyLength);
        var id = SHA256.HashData(salt).AsSpan(0, IdLength).ToArray();
        return new SessionKeys(id, okm[..KeyLength], okm[KeyLength..]);
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }
        return result;
    }
}
