using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Ordering;
using GossipActors.Tests.Support;

namespace GossipActors.IntegrationTests.Support;

/// <summary>
/// What the specs that submit to an orderer share: Org1's client0 signs; one client actor system on 127.0.0.1 (the
/// throttler adapter applied, as on the nodes; an Org1 TLS certificate when the orderer speaks TLS) is made at the
/// first submission and kept until <see cref="Reconnect"/> or Dispose.
/// </summary>
public sealed class OrdererClient(TestPki pki, TestTlsPki tlsPki) : IDisposable
{
    private ActorSystem? _system;
    private NodeIdentity? _submitter;

    /// <summary>The orderer's broadcast actor at 127.0.0.1:<paramref name="port"/> over the throttled transport.</summary>
    public static string OrdererPath(int port, bool tls = false) =>
        OrdererNode.ActorPath($"127.0.0.1:{port}", tls ? "akka.trttl.ssl.tcp" : "akka.trttl.tcp");

    /// <summary>Submits <paramref name="count"/> transactions of 200 B, 50 in flight, each answered within 30 s.</summary>
    public Task<BroadcastReport> Submit(int port, string channel, int count, bool tls = false)
    {
        _system ??= ClientSystem(tlsPki, "submit", tls);
        _submitter ??= pki.Peer("Org1", "client0.org1");
        return Broadcast.RunAsync(_system, _submitter, OrdererPath(port, tls), channel, count, size: 200,
            inFlight: 50, answerTimeout: TimeSpan.FromSeconds(30));
    }

    /// <summary>Drops the client system; the next submission makes a new one, as a new <c>gossip-node submit</c>
    /// process would (an old link to a restarted orderer is gated).</summary>
    public async Task Reconnect()
    {
        if (_system is { } system)
        {
            _system = null;
            await system.Terminate();
        }
    }

    /// <summary>A plain remote system (no boundary), with an Org1 TLS certificate when <paramref name="tls"/> is on.</summary>
    public static ActorSystem ClientSystem(TestTlsPki tlsPki, string name, bool tls)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = remote
            akka.loglevel = WARNING
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0, applied-adapters = [trttl], enable-ssl = {{(tls ? "on" : "off")}} }
            """).WithFallback(ReferenceConfig.Load());
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        if (!tls)
        {
            return ActorSystem.Create(name, ActorSystemSetup.Create(bootstrap));
        }
        var material = tlsPki.Node("Org1", name);
        return ActorSystem.Create(name, ActorSystemSetup.Create(bootstrap, TlsTrust.Setup(material.Certificate, material.AcceptedCas, name)));
    }

    public void Dispose() => _system?.Terminate().Wait(TimeSpan.FromSeconds(20));
}
