using GossipActors.Boundary;

namespace GossipActors.IntegrationTests.Support;

/// <summary>Free loopback ports, allocated per test below the ephemeral range (<see cref="FreeLoopbackPorts"/>).</summary>
public static class LoopbackPorts
{
    public static int Next() => FreeLoopbackPorts.Next();
}
