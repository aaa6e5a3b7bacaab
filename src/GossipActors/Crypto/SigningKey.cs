using NSec.Cryptography;

namespace GossipActors.Crypto;

/// <summary>An Ed25519 private key that signs. Owns the NSec key; dispose it when done.</summary>
public sealed class SigningKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private SigningKey(Key key)
    {
        _key = key;
        PublicKey = new VerificationKey(key.PublicKey);
    }

    public VerificationKey PublicKey { get; }

    public static SigningKey Generate() =>
        new(Key.Create(Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Imports a raw 32-byte Ed25519 private key (seed).</summary>
    public static SigningKey FromRawPrivateKey(ReadOnlySpan<byte> raw) =>
        new(Key.Import(Algorithm, raw, KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    public byte[] ExportRawPrivateKey() => _key.Export(KeyBlobFormat.RawPrivateKey);

    public byte[] Sign(ReadOnlySpan<byte> data) => Algorithm.Sign(_key, data);

    public void Dispose() => _key.Dispose();
}

/// <summary>An Ed25519 public key, imported once and reused for every verification.</summary>
public sealed class VerificationKey
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly PublicKey _key;

    internal VerificationKey(PublicKey key) => _key = key;

    public const int RawLength = 32;

    public static bool TryImport(ReadOnlySpan<byte> raw, out VerificationKey? key)
    {
        key = null;
        if (raw.Length != RawLength || !PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out var imported) || imported is null)
        {
            return false;
        }
        key = new VerificationKey(imported);
        return true;
    }

    public byte[] ExportRaw() => _key.Export(KeyBlobFormat.RawPublicKey);

    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature) =>
        signature.Length == Algorithm.SignatureSize && Algorithm.Verify(_key, data, signature);
}
