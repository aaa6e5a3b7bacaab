using System.Reflection;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using GossipActors.Boundary;
using GossipActors.Comm;
using GossipActors.Configuration;
using GossipActors.Ordering;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using GossipActors.Serialization;
using GossipActors.Tests.Support;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Serialization;

/// <summary>
/// Every message type our actors receive either never leaves its process (INoSerializationVerificationNeeded) or is
/// carried by a serializer of the gossip system that round-trips it, as Akka.Remote carries it (by serializer id and
/// manifest). The received types are read from the actors' code (every Receive&lt;T&gt; and ReceiveAsync&lt;T&gt;), so a
/// new message type is checked as soon as an actor handles it.
/// </summary>
public sealed class ActorMessageSerializationTests() : TestKit(WireCheckedConfig.With("akka.loglevel = WARNING"))
{
    private static readonly Assembly Library = typeof(CommActor).Assembly;

    [Fact]
    public void Every_message_type_an_actor_receives_is_local_only_or_has_a_round_trip_sample_here()
    {
        var received = ReceivedTypes(Library);
        Assert.Contains(typeof(SignedEnvelope), received); // the scan sees what comm receives: it can fail
        Assert.Contains(typeof(SendTo), received);

        var wire = received.Where(type => type.Assembly == Library && !IsLocalOnly(type) && !typeof(IControlMessage).IsAssignableFrom(type)).ToHashSet();
        var sampled = WireSamples().Select(sample => sample.GetType()).ToHashSet();

        Assert.True(wire.IsSubsetOf(sampled),
            "Received by an actor, not marked INoSerializationVerificationNeeded, and without a round-trip sample in this test: " +
            string.Join(", ", wire.Except(sampled).Select(type => type.FullName).Order(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Akka's own types cannot be marked local-only, and Akka's serializers carry some of them between nodes (actor
    /// references, Identify and ActorIdentity, which a boundary system accepts because resolving comm needs them;
    /// Status.Failure and Status.Success): an actor that takes one as its own signal, as PipeTo sends it by default,
    /// cannot tell it from what a node holding its reference sent. The BroadcastClient took an IActorRef as its resolved
    /// orderer, so whoever held its reference could redirect its transactions. Actors pipe records of their own, marked
    /// INoSerializationVerificationNeeded, instead. Akka types that no serializer carries (event-stream and cluster
    /// events an actor subscribed to) cannot come from another node and are not in question.
    /// </summary>
    [Fact]
    public void No_actor_receives_an_Akka_type_that_a_serializer_carries_between_nodes()
    {
        var foreign = ReceivedTypes(Library).Where(type => type.Assembly != Library).ToList();
        Assert.Contains(typeof(Akka.Remote.DisassociatedEvent), foreign); // the scan sees Akka types: it can fail

        var carried = foreign
            .Where(type => Sys.Serialization.FindSerializerForType(type) is not (UnboundTypeSerializer or RefusedSerializer))
            .Select(type => type.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(carried.Count == 0, "Received by an actor, an Akka type, and carried between nodes by a serializer: " + string.Join(", ", carried));
    }

    [Fact]
    public void Every_type_bound_in_reference_conf_has_a_round_trip_sample_here()
    {
        var bindings = ReferenceConfig.Load().GetConfig("akka.actor.serialization-bindings").AsEnumerable()
            .Select(binding => binding.Key)
            .Where(name => name != "System.Object")
            .Select(name => Type.GetType(name, throwOnError: true)!)
            .ToList();
        var sampled = WireSamples().Select(sample => sample.GetType()).ToHashSet();

        Assert.NotEmpty(bindings);
        Assert.All(bindings, type => Assert.Contains(type, sampled));
    }

    [Fact]
    public void Every_wire_sample_round_trips_by_serializer_id_and_manifest_as_Akka_Remote_carries_it()
    {
        foreach (var sample in WireSamples())
        {
            var serializer = Sys.Serialization.FindSerializerFor(sample);
            Assert.IsNotType<UnboundTypeSerializer>(serializer);
            Assert.IsNotType<RefusedSerializer>(serializer);
            var bytes = serializer.ToBinary(sample);
            var back = Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, sample));

            Assert.IsType(sample.GetType(), back);
            switch (sample)
            {
                case Identify identify:
                    Assert.Equal(identify.MessageId, ((Identify)back).MessageId);
                    break;
                case ActorIdentity identity:
                    Assert.Equal(identity.MessageId, ((ActorIdentity)back).MessageId);
                    Assert.Equal(identity.Subject, ((ActorIdentity)back).Subject);
                    break;
                default:
                    Assert.Equal(sample, back);
                    break;
            }
        }
    }

    [Fact]
    public void A_type_without_a_binding_is_refused_with_its_name_instead_of_becoming_untyped_json()
    {
        var message = new NoBinding("x");
        var serializer = Sys.Serialization.FindSerializerFor(message);

        Assert.IsType<UnboundTypeSerializer>(serializer);
        var refused = Assert.Throws<SerializationException>(() => serializer.ToBinary(message));
        Assert.Contains(typeof(NoBinding).FullName!, refused.Message);
        Assert.Contains(nameof(INoSerializationVerificationNeeded), refused.Message);
        Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize([(byte)'{', (byte)'}'], SerializerIds.UnboundType, ""));
    }

    [Fact]
    public void With_serialize_messages_on_a_message_without_a_binding_is_dropped_and_its_type_is_logged()
    {
        var failures = new SerializationFailureWatch(Sys);
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        echo.Tell(new LocalOnly(), TestActor);
        ExpectMsg<LocalOnly>(); // started

        echo.Tell(new NoBinding("lost"), TestActor);
        echo.Tell(new LocalOnly(), TestActor);

        ExpectMsg<LocalOnly>(); // the mailbox keeps order: the unbound message never reached the actor
        AwaitAssert(() => Assert.Contains(failures.Failures, failure => failure.Contains(typeof(NoBinding).FullName!, StringComparison.Ordinal)),
            Dilated(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_message_that_fails_to_serialize_before_its_receiver_started_is_still_reported()
    {
        var failures = new SerializationFailureWatch(Sys);

        Sys.ActorOf(Props.Create(() => new Echo())).Tell(new NoBinding("early"), TestActor);

        AwaitAssert(() => Assert.NotEmpty(failures.Failures), Dilated(TimeSpan.FromSeconds(10)));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    /// <summary>
    /// The failure once seen in the channel specs: comm resolves its peers with ResolveOne (an Identify), and under
    /// serialize-messages Akka's JSON fallback turned the Identify into a JObject, which no actor answers.
    /// </summary>
    [Fact]
    public async Task With_serialize_messages_on_an_actor_is_resolved_by_selection()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "resolved");

        var resolved = await Sys.ActorSelection(echo.Path).ResolveOne(Dilated(TimeSpan.FromSeconds(10)));

        Assert.Equal(echo, resolved);
    }

    /// <summary>
    /// The root cause of the channel specs' failure, in a system with reference.conf alone (no Akka.Remote bindings, so
    /// Identify has none): the Identify of a ResolveOne used to become a JObject with no error; it is now refused by name.
    /// </summary>
    [Fact]
    public async Task Under_serialize_messages_an_Identify_without_a_binding_is_refused_by_name_not_delivered_as_json()
    {
        var system = ActorSystem.Create("plain", Akka.Configuration.ConfigurationFactory
            .ParseString("akka.actor.serialize-messages = on\nakka.loglevel = OFF\nakka.stdout-loglevel = OFF")
            .WithFallback(ReferenceConfig.Load()));
        try
        {
            var failures = new SerializationFailureWatch(system);
            var echo = system.ActorOf(Props.Create(() => new Echo()), "target");
            await echo.Ask<LocalOnly>(new LocalOnly(), Dilated(TimeSpan.FromSeconds(10))); // started

            await Assert.ThrowsAsync<ActorNotFoundException>(() => system.ActorSelection(echo.Path).ResolveOne(TimeSpan.FromSeconds(1)));

            AwaitAssert(() => Assert.Contains(failures.Failures, failure => failure.Contains(typeof(Identify).FullName!, StringComparison.Ordinal)),
                Dilated(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static bool IsLocalOnly(Type type) => typeof(INoSerializationVerificationNeeded).IsAssignableFrom(type);

    /// <summary>One instance of every type that leaves a peer's process (what comm, delivery and the ordering client send).</summary>
    private IReadOnlyList<object> WireSamples()
    {
        using var pki = new TestPki();
        var peer = pki.Peer("Org1", "peer0");
        var orderer = pki.Orderer();
        var alive = EnvelopeCodec.Sign(new GossipMessage
        {
            Nonce = 7,
            Tag = GossipTag.Empty,
            AliveMsg = new AliveMessage
            {
                Membership = new Member { Endpoint = "127.0.0.1:7051", Org = "Org1", PkiId = ByteString.CopyFrom(peer.PkiId.Span) },
                Timestamp = new PeerTime { IncNum = 1, SeqNum = 2 },
            },
        }, peer.Key);
        return
        [
            EnvelopeCodec.WithSecret(alive, "127.0.0.1:7051", peer.Key),
            Handshake.Create(peer, "akka.tcp://gossip@127.0.0.1:7051", "akka.tcp://gossip@127.0.0.1:7052", TestPki.Now, new byte[32], answering: null),
            BlockFactory.Create("ch", 0, ByteString.Empty, [ByteString.CopyFromUtf8("tx")], orderer),
            Certificate.Parser.ParseFrom(peer.Certificate.Bytes),
            new CommAck { Received = 3 },
            OrderingCodec.DeliverRequest("ch", 5, peer, TestPki.Now),
            new Identify(null),
            new Identify("correlation"),
            new ActorIdentity("correlation", TestActor),
            new ActorIdentity(null, null),
        ];
    }

    /// <summary>The types T (of any assembly) of every Receive&lt;T&gt; and ReceiveAsync&lt;T&gt; call in the assembly's code.</summary>
    internal static IReadOnlySet<Type> ReceivedTypes(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new HashSet<Type>();
        foreach (var type in assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                var il = method.GetMethodBody()?.GetILAsByteArray();
                if (il is null)
                {
                    continue;
                }
                // A call or callvirt opcode and its 4-byte method token; operand bytes that only look like one resolve
                // to nothing or to another method, and are skipped.
                for (var i = 0; i + 4 < il.Length; i++)
                {
                    if (il[i] is not (0x28 or 0x6F))
                    {
                        continue;
                    }
                    var called = Resolve(type.Module, BitConverter.ToInt32(il, i + 1), type, method);
                    if (called is MethodInfo { IsGenericMethod: true } generic
                        && generic.Name is "Receive" or "ReceiveAsync"
                        && generic.DeclaringType == typeof(ReceiveActor)
                        && generic.GetGenericArguments()[0] is var message)
                    {
                        found.Add(message);
                    }
                }
            }
        }
        return found;
    }

    private static MethodBase? Resolve(Module module, int token, Type type, MethodBase method)
    {
        try
        {
            return module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null,
                method.IsGenericMethod ? method.GetGenericArguments() : null);
        }
        catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException or MissingMethodException)
        {
            return null;
        }
    }

    private sealed record NoBinding(string Text);

    private sealed record LocalOnly : INoSerializationVerificationNeeded;

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
