using Akka.Actor;
using GossipActors.Serialization;

namespace GossipActors.Tests.Serialization;

/// <summary>Allow-listed in the specs' configuration.</summary>
public sealed record StatusQuery(string Channel, int Detail, IActorRef ReplyTo) : IControlMessage;

/// <summary>A control message that is not on the allow-list.</summary>
public sealed record UnlistedCommand(string Text) : IControlMessage;

/// <summary>On the allow-list, but not an <see cref="IControlMessage"/>.</summary>
public sealed record NotAControlMessage(string Text);

internal static class ControlPlaneSpecConfig
{
    public const string Hocon = """
        akka.actor.serialization-settings.control-plane.allowed-types = [
          "GossipActors.Tests.Serialization.StatusQuery, GossipActors.Tests"
          "GossipActors.Tests.Serialization.NotAControlMessage, GossipActors.Tests"
          "System.IO.FileInfo, System.Private.CoreLib"
        ]
        """;
}
