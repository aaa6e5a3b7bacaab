using System.Net;
using System.Net.Sockets;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Serialization;
using Xunit;

namespace GossipActors.Tests.Boundary;

/// <summary>What a boundary system (a peer's gossip system, the orderer's) registers and how it supervises.</summary>
public sealed class BoundarySystemTests : Akka.TestKit.Xunit2.TestKit
{
    public BoundarySystemTests() : base(BoundaryConfig
        .BoundarySystem(new Listener("gossip", "127.0.0.1", 0, "127.0.0.1", false, "peer.address"), ["/user/peer/comm"])
        .WithFallback(ReferenceConfig.Load()))
    {
    }

    private Akka.Serialization.Serialization Serialization => Sys.Serialization;

    [Fact]
    public void Untrusted_mode_is_on_and_only_comm_is_a_trusted_selection_path()
    {
        var config = Sys.Settings.Config;

        Assert.True(config.GetBoolean("akka.remote.untrusted-mode"));
        Assert.Equal(["/user/peer/comm"], config.GetStringList("akka.remote.trusted-selection-paths"));
        Assert.Equal("remote", config.GetString("akka.actor.provider"));
    }

    [Fact]
    public void Every_refused_serializer_id_refuses_and_the_misc_serializer_accepts_Identify_but_not_Kill_or_PoisonPill()
    {
        foreach (var (name, id) in BoundaryConfig.RefusedSerializers)
        {
            var ex = Assert.Throws<SerializationException>(() => Serialization.Deserialize([1, 2, 3], id, "x"));
            Assert.Contains("trust boundary", ex.Message);
        }
        var misc = (SerializerWithStringManifest)Serialization.FindSerializerFor(new Identify("x"));
        Assert.IsType<BoundaryMiscSerializer>(misc);
        Assert.Equal(BoundaryMiscSerializer.Id, misc.Identifier);

        Assert.Equal("x", Assert.IsType<Identify>(Serialization.Deserialize(misc.ToBinary(new Identify("x")), misc.Identifier, misc.Manifest(new Identify("x")))).MessageId);
        foreach (var message in new object[] { Kill.Instance, PoisonPill.Instance, new Status.Failure(new InvalidOperationException("x")) })
        {
            var bytes = misc.ToBinary(message);
            Assert.Throws<SerializationException>(() => Serialization.Deserialize(bytes, misc.Identifier, misc.Manifest(message)));
        }
    }

    [Fact]
    public void Objects_without_a_wire_binding_cannot_be_sent()
    {
        Assert.Throws<SerializationException>(() => Serialization.FindSerializerFor(new Uri("http://x")).ToBinary(new Uri("http://x")));
    }

    [Fact]
    public async Task A_top_level_actor_and_a_child_resume_on_Kill_and_keep_their_state()
    {
        var parent = Sys.ActorOf(Props.Create(() => new Parent()), "parent");
        parent.Tell("count");
        ExpectMsg(0); // constructed, so its child exists
        var child = await Sys.ActorSelection("/user/parent/child").ResolveOne(TimeSpan.FromSeconds(5));
        parent.Tell(1);
        child.Tell(1);

        parent.Tell(Kill.Instance);
        child.Tell(Kill.Instance);

        parent.Tell("count");
        ExpectMsg(1);
        child.Tell("count");
        ExpectMsg(1);
    }

    [Fact]
    public void A_port_in_use_is_refused_naming_the_key_and_a_free_one_passes()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var endpoint = "127.0.0.1:" + ((IPEndPoint)squatter.LocalEndpoint).Port;

        var ex = Assert.Throws<ListenerInUseException>(() => ListenerCheck.EnsureFree("peer.address", endpoint));

        Assert.Contains("peer.address", ex.Message);
        Assert.Contains(endpoint, ex.Message);
        squatter.Stop();
        ListenerCheck.EnsureFree("peer.address", endpoint);
    }

    private sealed class Counter : ReceiveActor
    {
        public Counter()
        {
            var count = 0;
            Receive<int>(n => count += n);
            Receive<string>(_ => Sender.Tell(count));
        }
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent()
        {
            Context.ActorOf(Props.Create(() => new Counter()), "child");
            var count = 0;
            Receive<int>(n => count += n);
            Receive<string>(_ => Sender.Tell(count));
        }

        protected override SupervisorStrategy SupervisorStrategy() => BoundarySupervision.ResumeOnKill();
    }
}
