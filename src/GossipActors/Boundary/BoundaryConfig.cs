using Akka.Configuration;
using GossipActors.Comm;

namespace GossipActors.Boundary;

/// <summary>Where an actor system listens: bind host and port, the host it publishes, and whether TLS is on.</summary>
/// <param name="ConfigKey">The configuration key that gave the address (named in errors).</param>
public sealed record Listener(string SystemName, string BindHost, int Port, string PublicHost, bool Tls, string ConfigKey)
{
    /// <summary>From "host:port" to bind and the "host:port" published (its host is used).</summary>
    public static Listener Of(string systemName, string bindEndpoint, string publicEndpoint, bool tls, string configKey)
    {
        var (bindHost, port) = HostPort.Parse(bindEndpoint);
        var (publicHost, _) = HostPort.Parse(publicEndpoint);
        return new Listener(systemName, bindHost, port, publicHost, tls, configKey);
    }
}

/// <summary>
/// The Akka configuration of the two kinds of actor system a node runs (docs/security.md). Both go in front of the
/// user's configuration, so nothing there can weaken them.
/// <list type="bullet">
/// <item>A <b>boundary system</b> faces every node that passes TLS, other organisations included: Akka.Remote only,
/// untrusted mode on, selections only of the given paths, the guardian resumes top-level actors on a remote Kill, and
/// only the protobuf wire serializer plus the few of Akka's own that remoting needs (selections, Identify, strings)
/// can be reached: the others are replaced by <see cref="RefusedSerializer"/> under their ids, and Akka's misc
/// serializer by <see cref="BoundaryMiscSerializer"/>, which refuses Kill and PoisonPill on arrival. A peer's gossip system
/// and the orderer's system are boundary systems.</item>
/// <item>An <b>org system</b> faces only the own organisation's nodes (TLS pinned to its TLS CA): Akka.Cluster, and
/// Hyperion for the org's control-plane records.</item>
/// </list>
/// Pass the TLS setup of <see cref="TlsTrust.Setup"/> in the ActorSystemSetup when <see cref="Listener.Tls"/> is on.
/// </summary>
public static class BoundaryConfig
{
    /// <summary>Akka's serializers that a boundary system does not accept, by name and identifier.</summary>
    public static readonly IReadOnlyDictionary<string, int> RefusedSerializers = new Dictionary<string, int>
    {
        ["json"] = 1, // Newtonsoft JSON, the System.Object fallback
        ["proto"] = 2, // any Google.Protobuf message, its type named by the sender
        ["bytes"] = 4, // raw byte arrays: unused, and Akka would first load the type the sender's manifest names
        ["daemon-create"] = 3, // remote deployment (Props with type names)
        ["akka-system-msg"] = 22, // Watch, Unwatch, Terminate...: never accepted from other nodes
        ["akka-cluster"] = 5,
        ["reliable-delivery"] = 36,
        ["hyperion"] = -5,
    };

    /// <summary>The serializer ids a boundary system deserializes: ours, and Akka's that remoting itself needs.</summary>
    public static readonly IReadOnlyList<int> AcceptedSerializerIds = [Serialization.SerializerIds.GossipWire, 6, 16, 17];

    public static Config BoundarySystem(Listener listener, IEnumerable<string> trustedSelectionPaths)
    {
        var text = $$"""
            akka {
              actor {
                provider = remote
                guardian-supervisor-strategy = "{{typeof(ResumeOnKillGuardianStrategy).FullName}}, {{typeof(ResumeOnKillGuardianStrategy).Assembly.GetName().Name}}"
              }
              remote {
                untrusted-mode = on
                trusted-selection-paths = [{{string.Join(", ", trustedSelectionPaths.Select(Quote))}}]
                {{Transport(listener)}}
              }
            }
            """;
        return WithTlsGuard(ConfigurationFactory.ParseString(text).WithFallback(BoundarySerializers()), listener);
    }

    /// <summary>
    /// The serializers of a boundary system alone (part of <see cref="BoundarySystem"/>): the refusals under the ids of
    /// <see cref="RefusedSerializers"/> and <see cref="BoundaryMiscSerializer"/> as akka-misc. The actor specs put it
    /// in front of an in-process system's configuration, so their messages serialize as between peers' gossip systems.
    /// </summary>
    public static Config BoundarySerializers()
    {
        var refused = string.Join("\n", RefusedSerializers.Keys.Select(name =>
            $"      {name} = \"{typeof(RefusedSerializer).FullName}, {typeof(RefusedSerializer).Assembly.GetName().Name}\""));
        var refusedIds = string.Join("\n", RefusedSerializers.Select(r => $"      {r.Key}.{RefusedSerializer.IdentifierKey} = {r.Value}"));
        var misc = $"{typeof(BoundaryMiscSerializer).FullName}, {typeof(BoundaryMiscSerializer).Assembly.GetName().Name}";
        var text = $$"""
            akka.actor {
              serializers {
            {{refused}}
                akka-misc = "{{misc}}"
              }
              serialization-settings {
            {{refusedIds}}
              }
            }
            """;
        return ConfigurationFactory.ParseString(text);
    }

    /// <summary>An org system: Akka.Cluster with these seed nodes and roles, untrusted mode off (the cluster needs it).</summary>
    public static Config OrgSystem(Listener listener, IEnumerable<string> seedNodes, IEnumerable<string> roles)
    {
        var text = $$"""
            akka {
              actor.provider = cluster
              remote {
                untrusted-mode = off
                {{Transport(listener)}}
              }
              cluster {
                seed-nodes = [{{string.Join(", ", seedNodes.Select(Quote))}}]
                downing-provider-class = ""
                roles = [{{string.Join(", ", roles.Select(Quote))}}]
              }
            }
            """;
        return WithTlsGuard(ConfigurationFactory.ParseString(text), listener);
    }

    /// <summary>With TLS, the coordinated-shutdown phase of <see cref="OutboundTlsFailureGuard"/>, which the system's
    /// starter then installs.</summary>
    private static Config WithTlsGuard(Config config, Listener listener) =>
        listener.Tls ? config.WithFallback(OutboundTlsFailureGuard.Config) : config;

    /// <summary>
    /// The address scheme of the dot-netty TCP transport: "akka.tcp", "akka.ssl.tcp" with TLS, with each applied
    /// adapter's scheme in front (the throttler used by tests makes it "akka.trttl.ssl.tcp"). Every node of a network
    /// must use the same.
    /// </summary>
    public static string Protocol(Config config, bool tls)
    {
        var adapters = config.GetStringList("akka.remote.dot-netty.tcp.applied-adapters", []) ?? [];
        return string.Join(".", new[] { "akka" }.Concat(adapters.Reverse()).Append(tls ? "ssl.tcp" : "tcp"));
    }

    /// <summary>host:port → {protocol}://{system}@host:port.</summary>
    public static string AddressOf(string endpoint, string systemName, string protocol)
    {
        var (host, port) = HostPort.Parse(endpoint);
        return $"{protocol}://{systemName}@{host}:{port}";
    }

    // Akka keeps SO_REUSEADDR on (a restarted node must rebind while its old connections sit in TIME_WAIT); .NET adds
    // SO_REUSEPORT with it on Linux, so a second node could bind beside ours: ListenerCheck refuses a port in use first.
    private static string Transport(Listener listener) => $$"""
        dot-netty.tcp {
                  hostname = {{Quote(listener.BindHost)}}
                  public-hostname = {{Quote(listener.PublicHost)}}
                  port = {{listener.Port}}
                  enable-ssl = {{(listener.Tls ? "on" : "off")}}
                }
        """;

    private static string Quote(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
