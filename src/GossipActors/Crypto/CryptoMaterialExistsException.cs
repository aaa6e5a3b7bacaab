namespace GossipActors.Crypto;

/// <summary>Crypto material already exists where the generator would write; nothing was written or overwritten.</summary>
public sealed class CryptoMaterialExistsException(string existingFile)
    : IOException($"Refusing to generate crypto material: '{existingFile}' already exists. Keys are never overwritten; "
        + "choose another output directory or remove the old material yourself.")
{
    public string ExistingFile { get; } = existingFile;
}
