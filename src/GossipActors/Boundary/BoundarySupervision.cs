using Akka.Actor;

namespace GossipActors.Boundary;

/// <summary>
/// Supervision for actors that a remote node can address. In untrusted mode Akka.Remote drops PoisonPill, system
/// messages and selections outside the trusted paths, but a remote <see cref="Kill"/> still reaches the actor: its
/// parent decides. These parents resume the actor on <see cref="ActorKilledException"/> (it keeps its state and goes
/// on), stop it when it cannot be constructed, and restart it on any other failure.
/// </summary>
public static class BoundarySupervision
{
    /// <summary>The strategy of every parent of actors in a system that faces other nodes.</summary>
    public static SupervisorStrategy ResumeOnKill() => new OneForOneStrategy(Decide);

    private static Directive Decide(Exception exception) => exception switch
    {
        ActorKilledException => Directive.Resume,
        ActorInitializationException or DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };
}

/// <summary>
/// The user guardian's strategy (<c>akka.actor.guardian-supervisor-strategy</c>): top-level actors such as
/// /user/peer resume on a remote Kill instead of stopping.
/// </summary>
public sealed class ResumeOnKillGuardianStrategy : SupervisorStrategyConfigurator
{
    public override SupervisorStrategy Create() => BoundarySupervision.ResumeOnKill();
}
