using GossipActors.Serialization;

namespace GossipActors.Tests.Serialization;

/// <summary>Allow-listed in the specs' configuration.</summary>
public sealed record StatusQuery(string Channel, int Detail) : IControlMessage;

/// <summary>A control message that is not on the allow-list.</summary>
public sealed record UnlistedCommand(string Text) : IControlMessage;

internal static class ControlPlaneSpecConfig
{
    public const string Hocon = """
        akka.actor.serialization-settings.hyperion.allowed-types = [
          "GossipActors.Tests.Serialization.StatusQuery, GossipActors.Tests"
          "System.IO.FileInfo, System.Private.CoreLib"
        ]
        """;
}
