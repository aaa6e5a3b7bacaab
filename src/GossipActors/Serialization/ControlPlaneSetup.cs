using Akka.Actor.Setup;

namespace GossipActors.Serialization;

/// <summary>
/// Control-plane types registered in code, added to akka.actor.serialization-settings.control-plane.allowed-types.
/// Pass it in the ActorSystemSetup: <c>ActorSystem.Create(name, BootstrapSetup.Create().WithConfig(c).And(setup))</c>.
/// </summary>
public sealed class ControlPlaneSetup : Setup
{
    public ControlPlaneSetup(IEnumerable<Type> allowedTypes) => AllowedTypes = allowedTypes.ToArray();

    public IReadOnlyList<Type> AllowedTypes { get; }
}
