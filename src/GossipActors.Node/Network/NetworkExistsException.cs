namespace GossipActors.Node.Network;

/// <summary>The directory given to <c>network init</c> already holds a network (its manifest exists).</summary>
internal sealed class NetworkExistsException(string manifest)
    : IOException($"{manifest} already exists: this directory holds a network already. Start it with `gossip-node network up --dir "
        + $"{Path.GetDirectoryName(manifest)}`, or choose another directory.")
{
    public string Manifest { get; } = manifest;
}
