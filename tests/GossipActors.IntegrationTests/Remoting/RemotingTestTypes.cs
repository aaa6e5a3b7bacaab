using Akka.Actor;
using GossipActors.Serialization;

namespace GossipActors.IntegrationTests.Remoting;

/// <summary>A control record that no receiver allow-lists.</summary>
public sealed record ForbiddenCommand(string Text) : IControlMessage;

/// <summary>The remote target: passes everything it receives to a probe.</summary>
public sealed class Inbox : ReceiveActor
{
    public Inbox(IActorRef probe) => ReceiveAny(message => probe.Forward(message));
}
