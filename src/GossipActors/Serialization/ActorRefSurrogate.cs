using Akka.Actor;

namespace GossipActors.Serialization;

/// <summary>
/// An <see cref="IActorRef"/> as it crosses the control plane: its full path (with the sender's address when sent
/// over Akka.Remote). The receiver resolves it through its own provider, so a ref comes back as a ref to the same actor.
/// </summary>
public sealed record ActorRefSurrogate(string Path)
{
    internal static ActorRefSurrogate From(IActorRef actorRef) =>
        new(Akka.Serialization.Serialization.SerializedActorPath(actorRef));

    internal IActorRef? Resolve(ExtendedActorSystem system) =>
        string.IsNullOrEmpty(Path) ? ActorRefs.NoSender : system.Provider.ResolveActorRef(Path);
}
