using GossipActors.Protocol.Wire;
using GossipActors.Simulation;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Simulation;

public sealed class PeerCpuTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void A_peer_handles_one_message_at_a_time_so_the_second_waits_for_the_first()
    {
        var cpu = new PeerCpu(peers: 2, sharedCores: null);

        Assert.Equal(3 * Ms, cpu.Run(0, TimeSpan.Zero, 3 * Ms));
        Assert.Equal(5 * Ms, cpu.Run(0, Ms, 2 * Ms));
        Assert.Equal(3 * Ms, cpu.Run(1, Ms, 2 * Ms)); // another peer, its own core: no wait
        Assert.Equal(7 * Ms, cpu.Busy);
    }

    [Fact]
    public void Peers_sharing_one_core_wait_for_each_other()
    {
        var cpu = new PeerCpu(peers: 2, sharedCores: 1);

        Assert.Equal(3 * Ms, cpu.Run(0, TimeSpan.Zero, 3 * Ms));
        Assert.Equal(5 * Ms, cpu.Run(1, Ms, 2 * Ms));
    }

    [Fact]
    public void Two_shared_cores_run_two_peers_at_once_but_not_three()
    {
        var cpu = new PeerCpu(peers: 3, sharedCores: 2);

        Assert.Equal(2 * Ms, cpu.Run(0, TimeSpan.Zero, 2 * Ms));
        Assert.Equal(2 * Ms, cpu.Run(1, TimeSpan.Zero, 2 * Ms));
        Assert.Equal(4 * Ms, cpu.Run(2, TimeSpan.Zero, 2 * Ms));
    }

    [Fact]
    public void A_state_info_carries_its_signature_digests_and_blocks_only_the_session_mac_all_the_frame()
    {
        var stateInfo = new GossipMessage { Channel = "c", StateInfo = new StateInfo { LedgerHeight = 7 } };
        var digest = new GossipMessage { Channel = "c", DataDigest = new DataDigest { SeqNum = 7, DigestTtl = 2 } };
        var data = new GossipMessage { Channel = "c", DataMsg = new DataMessage { SeqNum = 7, Block = ByteString.CopyFrom(new byte[4096]) } };

        var signed = SimEnvelope.Of(stateInfo, frameOverheadBytes: 141);
        var control = SimEnvelope.Of(digest, frameOverheadBytes: 141);
        var block = SimEnvelope.Of(data, frameOverheadBytes: 141);

        Assert.True(signed.Signed);
        Assert.Equal(stateInfo.CalculateSize() + 2 + 66 + SimEnvelope.SessionFields + 141, signed.WireBytes);
        Assert.False(control.Signed);
        Assert.Equal(digest.CalculateSize() + 2 + SimEnvelope.SessionFields + 141, control.WireBytes);
        Assert.False(block.Signed);
        Assert.Equal(data.CalculateSize() + 3 + SimEnvelope.SessionFields + 141, block.WireBytes);
        Assert.Equal(1, block.Blocks);
        Assert.True(SimEnvelope.IsSigned(GossipMessage.ContentOneofCase.StateRequest));
        Assert.False(SimEnvelope.IsSigned(GossipMessage.ContentOneofCase.StateResponse));
    }

    [Fact]
    public void Receiving_costs_half_of_Akka_plus_decode_and_verification()
    {
        var costs = new MessageCosts
        {
            AkkaUs = 40, AkkaUsPerKiB = 0, DecodeUs = 1, DecodeUsPerKiB = 0, VerifyUs = 60, BlockVerifyUs = 70, SignUs = 20, MacUs = 2, MacUsPerKiB = 0,
        };

        Assert.Equal(TimeSpan.FromMicroseconds(20 + 2 + 1 + 60), costs.ReceiveCost(100, signed: true, blocks: 0));
        Assert.Equal(TimeSpan.FromMicroseconds(20 + 2 + 1 + 70), costs.ReceiveCost(100, signed: false, blocks: 1));
        Assert.Equal(TimeSpan.FromMicroseconds(20 + 2), costs.SendCost(100));
    }

    [Fact]
    public void The_machines_load_stretches_every_cost_storage_included()
    {
        var quiet = new MessageCosts { StoreUsPerBatch = 100, StoreUsPerKiB = 10, ReadUsPerKiB = 3 };
        var loaded = quiet with { CpuStretch = 4 };

        Assert.Equal(TimeSpan.FromMicroseconds(100 + 10 * 2 * 4), quiet.StoreCost(blocks: 2, blockBytes: 4096));
        Assert.Equal(TimeSpan.FromMicroseconds(4 * (100 + 10 * 2 * 4)), loaded.StoreCost(blocks: 2, blockBytes: 4096));
        Assert.Equal((quiet.SendCost(4096) * 4).TotalMicroseconds, loaded.SendCost(4096).TotalMicroseconds, tolerance: 0.5);
        Assert.Equal((quiet.ReadCost(10, 1024) * 4).TotalMicroseconds, loaded.ReadCost(10, 1024).TotalMicroseconds, tolerance: 0.5);
        Assert.Contains(new MessageCosts { CpuStretch = 0.5 }.Validate(), p => p.Contains("CpuStretch"));
    }
}
