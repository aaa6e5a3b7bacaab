using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;
using Akka.TestKit;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.IntegrationTests.Remoting;

/// <summary>
/// Two actor systems over real Akka.Remote on 127.0.0.1: valid envelopes arrive; hostile frames under our serializer
/// ids (and Hyperion's, which is not registered here) are refused by the receiver without delivery, crash or
/// disassociation. The org control plane's round trip is in Hostile/OrgControlPlaneSpec.
/// </summary>
public sealed class GossipWireOverRemotingSpec : Akka.TestKit.Xunit2.TestKit
{
    private const int ReceiverMaxEnvelopeBytes = 256 * 1024;
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private const string RemoteHocon = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = INFO
        """;

    private static readonly string ReceiverHocon = RemoteHocon + $$"""

        akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = {{ReceiverMaxEnvelopeBytes}}b
        """;

    private const string RogueHocon = """
        akka.actor.serializers {
          gossip-wire = "GossipActors.IntegrationTests.Remoting.RogueWireSerializer, GossipActors.IntegrationTests"
          control-plane = "GossipActors.IntegrationTests.Remoting.RogueControlPlaneSerializer, GossipActors.IntegrationTests"
        }
        akka.actor.serialization-bindings {
          "GossipActors.IntegrationTests.Remoting.HostileWireFrame, GossipActors.IntegrationTests" = gossip-wire
          "GossipActors.IntegrationTests.Remoting.HostileControlFrame, GossipActors.IntegrationTests" = control-plane
        }
        """;

    private readonly TestProbe _delivered;
    private readonly IActorRef _inbox;
    private readonly SigningKey _key = SigningKey.Generate();
    private ActorSystem? _sender;

    public GossipWireOverRemotingSpec()
        : base(ReferenceConfig.WithFallback(ConfigurationFactory.ParseString(ReceiverHocon)), "receiver")
    {
        _delivered = CreateTestProbe();
        _inbox = Sys.ActorOf(Props.Create(() => new Inbox(_delivered.Ref)), "inbox");
    }

    private Address ReceiverAddress => ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

    private async Task<IActorRef> StartSenderAsync(string extraHocon)
    {
        _sender = ActorSystem.Create("sender",
            ReferenceConfig.WithFallback(ConfigurationFactory.ParseString(extraHocon + "\n" + RemoteHocon)));
        var inboxPath = new RootActorPath(ReceiverAddress) / "user" / "inbox";
        return await _sender.ActorSelection(inboxPath).ResolveOne(Generous);
    }

    private SignedEnvelope Alive(ulong seq, int metadataBytes = 0) => EnvelopeCodec.Sign(new GossipMessage
    {
        Nonce = seq,
        Tag = GossipTag.Empty,
        AliveMsg = new AliveMessage
        {
            Membership = new Member
            {
                Endpoint = "peer0.org1:7051", Org = "Org1MSP", PkiId = ByteString.CopyFrom(new byte[32]),
                Metadata = ByteString.CopyFrom(new byte[metadataBytes]),
            },
            Timestamp = new PeerTime { IncNum = 1, SeqNum = seq },
        },
    }, _key);

    /// <summary>The next delivered message is a valid envelope, signed by our key, with this sequence number.</summary>
    private void ExpectVerifiedAlive(ulong seq)
    {
        var envelope = _delivered.ExpectMsg<SignedEnvelope>(Generous);
        Assert.True(EnvelopeCodec.VerifySignature(envelope, _key.PublicKey), "signature did not verify");
        Assert.True(EnvelopeCodec.TryParsePayload(envelope, out var message, out var error), error);
        Assert.Equal(seq, message!.AliveMsg.Timestamp.SeqNum);
    }

    [Fact]
    public async Task Signed_envelope_told_to_a_remote_actor_arrives_and_verifies()
    {
        var inbox = await StartSenderAsync("");

        inbox.Tell(Alive(1));

        ExpectVerifiedAlive(1);
    }

    [Fact]
    public async Task Hostile_frames_are_refused_and_the_association_keeps_delivering_valid_envelopes()
    {
        var inbox = await StartSenderAsync(RogueHocon);
        var disassociations = CreateTestProbe();
        Sys.EventStream.Subscribe(disassociations.Ref, typeof(DisassociatedEvent));
        inbox.Tell(Alive(0));
        ExpectVerifiedAlive(0); // the association is up

        var valid = Alive(99).ToByteArray();
        var oversize = Alive(98, metadataBytes: ReceiverMaxEnvelopeBytes).ToByteArray();
        Assert.InRange(oversize.Length, ReceiverMaxEnvelopeBytes + 1, 1024 * 1024);
        var hostile = new object[]
        {
            new HostileWireFrame("System.Diagnostics.Process, System", valid), // unknown manifest
            new HostileWireFrame("E", valid[..^5]),                              // truncated protobuf
            new HostileWireFrame("E", oversize),                                // above max-envelope-bytes, below the frame
            new HostileControlFrame(HyperionBytes.Unrestricted(new ForbiddenCommand("rm -rf /"))), // not allow-listed
            new HostileControlFrame(HyperionBytes.Unrestricted(new FileInfo("/etc/passwd"))),        // Hyperion unsafe type
            new HostileControlFrame([0xFF, 0xFF, 0xFF, 0x7F, 0x01]),                                 // garbage
        };

        for (var i = 0; i < hostile.Length; i++)
        {
            inbox.Tell(hostile[i]);
            inbox.Tell(Alive((ulong)i + 1));
            ExpectVerifiedAlive((ulong)i + 1); // the hostile frame before it was never delivered
        }

        _delivered.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        disassociations.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.False(Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task Oversize_envelope_is_refused_by_the_sender_and_the_association_keeps_delivering()
    {
        var inbox = await StartSenderAsync($"akka.actor.serialization-settings.gossip-wire.max-envelope-bytes = {ReceiverMaxEnvelopeBytes}b");
        var disassociations = CreateTestProbe();
        Sys.EventStream.Subscribe(disassociations.Ref, typeof(DisassociatedEvent));

        inbox.Tell(Alive(1, metadataBytes: ReceiverMaxEnvelopeBytes)); // refused by the sender's ToBinary
        inbox.Tell(Alive(2));

        ExpectVerifiedAlive(2);
        _delivered.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        disassociations.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    protected override void AfterAll()
    {
        if (_sender is not null)
        {
            Shutdown(_sender, verifySystemShutdown: false);
        }
        _key.Dispose();
        base.AfterAll();
    }
}
