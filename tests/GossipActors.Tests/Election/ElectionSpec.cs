using Akka.Actor;
using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Election;
using GossipActors.Tests.Channels;
using Xunit;

namespace GossipActors.Tests.Election;

/// <summary>
/// Four Org1 peers on channel "ch" in one actor system, electing with scaled-down timers; partitions with the comm
/// fault filter. Leadership is read from each peer's channel status (isLeader, leader).
/// </summary>
public sealed class ElectionSpec : ChannelSpecBase
{
    /// <summary>Views must hold still over seconds here: liveness scaled by the time factor.</summary>
    public ElectionSpec()
        : base(stableViews: true)
    {
    }

    /// <summary>
    /// Scaled-down timers, stretched by akka.test.timefactor like every deadline here: a follower re-elects after
    /// leaderAliveThreshold of silence, and the leader declares every half of it, so a stall of the loaded machine
    /// longer than that half would start a real election inside <see cref="ExpectNoLeadershipChange"/> (whose window
    /// ExpectNoMsg dilates too). The threshold is 5 s unscaled (15 s dilated): with 3 s a fresh-clone run, with the
    /// integration project beside it, saw a follower drop a healthy leader.
    /// </summary>
    private ElectionCoreSettings Timers => new()
    {
        StartupGracePeriod = Dilated(TimeSpan.FromSeconds(4)),
        MembershipSampleInterval = Dilated(TimeSpan.FromMilliseconds(400)),
        LeaderAliveThreshold = Dilated(TimeSpan.FromSeconds(5)),
        LeaderElectionDuration = Dilated(TimeSpan.FromSeconds(1.5)),
    };

    private static readonly string[] Peers = Names("e", 4);

    private ChannelOptions ElectionChannel(ElectionOptions? election = null) =>
        ChannelOf(DisseminationMode.Enhanced, ["Org1"]) with { Election = election ?? ElectionOptions.Dynamic(Timers) };

    private void StartPeers(IEnumerable<string> names, string bootstrap, ElectionOptions? election = null,
        IReadOnlyDictionary<string, NodeIdentity>? identities = null)
    {
        foreach (var name in names)
        {
            Net.Start("Org1", name, [bootstrap], joins: [ElectionChannel(election)], identity: identities?[name]);
        }
    }

    /// <summary>The peers ordered by PKI-ID, lowest first.</summary>
    private string[] ByPkiId(IEnumerable<string> names) => [.. names.OrderBy(n => Net.Identity(n).PkiId)];

    private PkiId Id(string name) => Net.Identity(name).PkiId;

    /// <summary>Among <paramref name="side"/>, exactly <paramref name="leader"/> leads and every other peer follows it.</summary>
    private void AwaitLeader(IReadOnlyCollection<string> side, string leader, TimeSpan within) =>
        AwaitAssert(() =>
        {
            foreach (var peer in side)
            {
                var status = Status(peer);
                Assert.True(status.IsLeader == (peer == leader), $"{peer}: isLeader = {status.IsLeader}, expected {peer == leader}");
                Assert.True(status.Leader == Id(leader), $"{peer} follows {(status.Leader is { } l ? Net.NameOf(l) : "nobody")}, expected {leader}");
            }
        }, Dilated(within), TimeSpan.FromMilliseconds(100));

    /// <summary>No peer's leadership changes for <paramref name="during"/> (a probe with a deadline, not a sleep).</summary>
    private void ExpectNoLeadershipChange(TimeSpan during)
    {
        var changes = CreateTestProbe();
        Sys.EventStream.Subscribe(changes.Ref, typeof(LeadershipObserved));
        changes.ExpectNoMsg(during);
    }

    [Fact]
    public void Four_peers_started_together_elect_the_lowest_pki_id()
    {
        StartPeers(Peers, Peers[0]);
        var lowest = ByPkiId(Peers)[0];

        AwaitLeader(Peers, lowest, TimeSpan.FromSeconds(15));
        ExpectNoLeadershipChange(TimeSpan.FromSeconds(4));
        Assert.All(Peers, p => Assert.Equal(p == lowest, Status(p).IsLeader));
    }

    [Fact]
    public void Peers_started_one_after_another_keep_the_first_leader()
    {
        var identities = Peers.ToDictionary(p => p, p => Pki.Peer("Org1", p));
        var order = Peers.OrderByDescending(p => identities[p].PkiId).ToArray(); // highest ID first: every later peer is lower
        StartPeers([order[0]], order[0], identities: identities);
        AwaitLeader([order[0]], order[0], TimeSpan.FromSeconds(15));

        foreach (var (next, started) in order.Skip(1).Select((p, i) => (p, order.Take(i + 2).ToArray())))
        {
            StartPeers([next], order[0], identities: identities);
            AwaitLeader(started, order[0], TimeSpan.FromSeconds(15));
        }
        ExpectNoLeadershipChange(TimeSpan.FromSeconds(4));
        AwaitLeader(Peers, order[0], TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_two_two_partition_elects_one_leader_per_side_and_healing_leaves_the_lowest_id()
    {
        StartPeers(Peers, Peers[0]);
        var ids = ByPkiId(Peers);
        AwaitLeader(Peers, ids[0], TimeSpan.FromSeconds(15));
        string[] sideA = [ids[0], ids[2]];
        string[] sideB = [ids[1], ids[3]];

        Net.Partition(sideA, sideB);
        AwaitLeader(sideA, ids[0], TimeSpan.FromSeconds(15));
        AwaitLeader(sideB, ids[1], TimeSpan.FromSeconds(15));

        Net.Partition(sideA, sideB, heal: true);
        AwaitLeader(Peers, ids[0], TimeSpan.FromSeconds(15));
        ExpectNoLeadershipChange(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_crashed_leader_is_replaced_by_exactly_one_peer()
    {
        StartPeers(Peers, Peers[0]);
        var ids = ByPkiId(Peers);
        AwaitLeader(Peers, ids[0], TimeSpan.FromSeconds(15));

        Sys.Stop(Net[ids[0]]);

        AwaitLeader(ids[1..], ids[1], TimeSpan.FromSeconds(15));
        ExpectNoLeadershipChange(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_leader_cut_off_from_the_orderer_yields_and_another_peer_leads()
    {
        StartPeers(Peers, Peers[0]);
        var ids = ByPkiId(Peers);
        AwaitLeader(Peers, ids[0], TimeSpan.FromSeconds(15));

        Net[ids[0]].Tell(new OrdererUnreachable(Channel, TimeSpan.FromHours(1)));

        // The yielding peer proposes nothing; the others notice the silence and elect the next lowest, which it follows.
        AwaitLeader(Peers, ids[1], TimeSpan.FromSeconds(15));
        ExpectNoLeadershipChange(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void Static_leadership_makes_one_leader_and_standbys_without_any_election()
    {
        Net.Start("Org1", Peers[0], [Peers[0]], joins: [ElectionChannel(ElectionOptions.StaticLeader)]);
        StartPeers(Peers[1..], Peers[0], ElectionOptions.StaticStandby);
        AwaitChannelViews(Peers, TimeSpan.FromSeconds(10));

        Assert.True(Status(Peers[0]).IsLeader);
        Assert.All(Peers[1..], p => Assert.False(Status(p).IsLeader));
        Assert.All(Peers, p => Assert.Equal(0, Sys.ActorSelection($"/user/{p}/{ChannelOptions.ActorNameOf(Channel)}/election")
            .Ask<ElectionStatus>(GetElectionStatus.Instance, TimeSpan.FromSeconds(5)).Result.ElectionsStarted));
    }
}
