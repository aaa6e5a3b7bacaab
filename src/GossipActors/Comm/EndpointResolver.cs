using Akka.Actor;

namespace GossipActors.Comm;

/// <summary>
/// Turns a gossip endpoint ("host:port", as in Fabric's peer.gossip.endpoint) into the path of that peer's comm actor.
/// Production peers live at akka.tcp://{system}@host:port/user/peer/comm; tests that host several peers in one
/// actor system give each its own top-level name.
/// </summary>
public sealed class EndpointResolver(Func<string, ActorPath> resolve)
{
    public const string PeerActorName = "peer";
    public const string CommActorName = "comm";

    public ActorPath Resolve(string endpoint) => resolve(endpoint);

    /// <summary>host:port → {protocol}://{systemName}@host:port/user/peer/comm (protocol: akka.tcp unless adapters apply).</summary>
    public static EndpointResolver Remote(string systemName, string protocol = "akka.tcp") => new(endpoint =>
    {
        var (host, port) = HostPort.Parse(endpoint);
        var address = new Address(protocol, systemName, host, port);
        return new RootActorPath(address) / "user" / PeerActorName / CommActorName;
    });

    /// <summary>Peers hosted in one actor system: endpoint "p3" → /user/p3/comm in <paramref name="system"/>.</summary>
    public static EndpointResolver InProcess(ActorSystem system) =>
        new(endpoint => new RootActorPath(((ExtendedActorSystem)system).Provider.DefaultAddress) / "user" / endpoint / CommActorName);
}
