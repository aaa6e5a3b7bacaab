using GossipActors.Crypto;
using GossipActors.Election;
using Xunit;
using static GossipActors.Tests.Election.ElectionTestNet;

namespace GossipActors.Tests.Election;

/// <summary>One core alone, on a virtual clock: each rule of Fabric's election, plus yield and fast failover.</summary>
public sealed class LeaderElectionCoreTests
{
    private static readonly ElectionCoreSettings Settings = new(); // Fabric's defaults: 15s, 1s, 10s, 5s
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);
    private static readonly PkiId Me = IdOf(5);
    private static readonly PkiId Lower = IdOf(1);
    private static readonly PkiId Higher = IdOf(9);

    private DateTimeOffset _now = Epoch;

    private LeaderElectionCore Core(ElectionCoreSettings? settings = null, params PkiId[] peers)
    {
        var core = new LeaderElectionCore(Me, settings ?? Settings, _now);
        core.UpdatePeers(peers, _now);
        return core;
    }

    private ElectionOutput At(TimeSpan after, Func<DateTimeOffset, ElectionOutput> input)
    {
        _now = Epoch + after;
        return input(_now);
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Ticks every 10 ms up to <paramref name="until"/>; returns every output with its time.</summary>
    private List<(TimeSpan At, ElectionOutput Output)> Run(LeaderElectionCore core, TimeSpan until)
    {
        var outputs = new List<(TimeSpan, ElectionOutput)>();
        while (_now < Epoch + until)
        {
            // Steps on a 10 ms grid, whatever time an input was given at.
            var next = Epoch + TimeSpan.FromMilliseconds(((long)(_now - Epoch).TotalMilliseconds / 10 + 1) * 10);
            if (next > Epoch + until)
            {
                break;
            }
            _now = next;
            if (core.NextDue <= _now)
            {
                var output = core.Tick(_now);
                if (!output.IsEmpty)
                {
                    outputs.Add((_now - Epoch, output));
                }
            }
        }
        return outputs;
    }

    private static TimeSpan FirstProposal(List<(TimeSpan At, ElectionOutput Output)> outputs) =>
        outputs.First(o => o.Output.Announcements.Contains(LeadershipAnnouncement.Proposal)).At;

    [Fact]
    public void A_peer_whose_view_stays_the_same_proposes_after_one_sample_interval()
    {
        var core = Core(null, Lower, Higher);

        var outputs = Run(core, S(2));

        Assert.Equal(S(1), FirstProposal(outputs));
        Assert.Equal(ElectionPhase.Electing, core.Phase);
        Assert.Equal(1, outputs.Sum(o => o.Output.ElectionsStarted));
    }

    [Fact]
    public void A_peer_whose_view_keeps_changing_waits_for_it_to_stop_changing()
    {
        var core = Core(null, Lower);
        for (var second = 1; second <= 4; second++)
        {
            Assert.DoesNotContain(LeadershipAnnouncement.Proposal, Run(core, S(second) - Ms).SelectMany(o => o.Output.Announcements));
            // The view changes between every two samples.
            At(S(second) - Ms, now => core.UpdatePeers(second % 2 == 0 ? [Lower] : [Lower, IdOf(20 + second)], now));
        }
        Assert.Equal(ElectionPhase.Starting, core.Phase);

        var outputs = Run(core, S(7));
        Assert.Equal(S(5), FirstProposal(outputs));
    }

    [Fact]
    public void A_view_that_never_settles_ends_the_wait_at_the_startup_grace_period()
    {
        var core = Core(null, Lower);
        var outputs = new List<(TimeSpan At, ElectionOutput Output)>();
        for (var tenth = 1; tenth <= 200; tenth++)
        {
            outputs.AddRange(Run(core, TimeSpan.FromMilliseconds(tenth * 100)));
            At(TimeSpan.FromMilliseconds(tenth * 100), now => core.UpdatePeers([Lower, IdOf(100 + tenth)], now));
        }

        Assert.Equal(S(15), FirstProposal(outputs));
    }

    [Fact]
    public void A_declaration_during_the_startup_wait_ends_it_and_the_peer_follows_without_proposing()
    {
        var core = Core(null, Lower, Higher);

        var output = At(S(0.5), now => core.OnMessage(Higher, isDeclaration: true, now));

        Assert.Equal(new Leadership(false, Higher), output.Changed);
        Assert.Equal(ElectionPhase.Follower, core.Phase);
        Assert.DoesNotContain(Run(core, S(9)), o => o.Output.ElectionsStarted > 0);
    }

    [Fact]
    public void A_proposer_that_hears_no_lower_proposal_declares_itself_after_the_election_duration()
    {
        var core = Core(null, Lower, Higher);
        Run(core, S(1.5));
        At(S(2), now => core.OnMessage(Higher, isDeclaration: false, now));

        var outputs = Run(core, S(7));

        var declared = outputs.Single(o => o.Output.Announcements.Contains(LeadershipAnnouncement.Declaration));
        Assert.Equal(S(6), declared.At); // proposed at 1s, election duration 5s
        Assert.Equal(new Leadership(true, Me), declared.Output.Changed);
        Assert.True(core.IsLeader);
    }

    [Fact]
    public void A_proposer_that_hears_a_lower_proposal_gives_up()
    {
        var core = Core(null, Lower, Higher);
        Run(core, S(1.5));
        At(S(2), now => core.OnMessage(Lower, isDeclaration: false, now));

        var outputs = Run(core, S(10));

        Assert.DoesNotContain(outputs, o => o.Output.Announcements.Contains(LeadershipAnnouncement.Declaration));
        Assert.Equal(ElectionPhase.Follower, core.Phase);
        Assert.Null(core.Leader);
    }

    [Fact]
    public void A_proposal_heard_before_our_own_election_starts_still_counts()
    {
        var core = Core(null, Lower, Higher);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: false, now)); // the lower peer finished its wait first

        var outputs = Run(core, S(8));

        Assert.Equal(S(1), FirstProposal(outputs));
        Assert.False(core.IsLeader);
    }

    [Fact]
    public void A_lower_proposer_that_left_the_view_no_longer_stops_us()
    {
        var core = Core(null, Lower, Higher);
        Run(core, S(1.5));
        At(S(2), now => core.OnMessage(Lower, isDeclaration: false, now));
        At(S(3), now => core.UpdatePeers([Higher], now));

        Run(core, S(7));

        Assert.True(core.IsLeader);
    }

    [Fact]
    public void A_proposer_that_hears_a_declaration_gives_up_and_follows_the_declarer()
    {
        var core = Core(null, Lower, Higher);
        Run(core, S(1.5));

        var output = At(S(2), now => core.OnMessage(Higher, isDeclaration: true, now));
        var outputs = Run(core, S(7));

        Assert.Equal(new Leadership(false, Higher), output.Changed);
        Assert.DoesNotContain(outputs, o => o.Output.Announcements.Contains(LeadershipAnnouncement.Declaration));
        Assert.Equal(Higher, core.Leader);
    }

    [Fact]
    public void The_leader_declares_every_half_leader_alive_threshold()
    {
        var core = Core(null, Higher);
        var outputs = Run(core, S(30));

        var declarations = outputs.Where(o => o.Output.Announcements.Contains(LeadershipAnnouncement.Declaration)).Select(o => o.At).ToList();
        Assert.Equal([S(6), S(11), S(16), S(21), S(26)], declarations);
    }

    [Fact]
    public void The_leader_keeps_its_declaration_interval_when_every_tick_comes_7_ms_after_its_deadline()
    {
        var core = Core(null, Higher);
        var declarations = new List<TimeSpan>();
        while (_now < Epoch + S(120))
        {
            if (core.Tick(_now).Announcements.Contains(LeadershipAnnouncement.Declaration))
            {
                declarations.Add(_now - Epoch);
            }
            _now = core.NextDue + (7 * Ms);
        }

        var later = declarations.Skip(1).ToList(); // from the second on, each on the leader's cadence
        Assert.True(later.Count >= 20, $"{later.Count} declarations");
        Assert.All(later.Zip(later.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, Settings.DeclarationInterval - (7 * Ms), Settings.DeclarationInterval + (7 * Ms)));
        Assert.InRange(later[^1] - later[0], (Settings.DeclarationInterval * (later.Count - 1)) - (7 * Ms), (Settings.DeclarationInterval * (later.Count - 1)) + (7 * Ms));
    }

    [Fact]
    public void A_follower_that_hears_no_declaration_for_leader_alive_threshold_elects_again()
    {
        var core = Core(null, Lower, Higher);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));
        At(S(5.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        var outputs = Run(core, S(20));

        var proposal = outputs.First(o => o.Output.ElectionsStarted > 0);
        Assert.Equal(S(15.5), proposal.At);
        Assert.Equal(Leadership.None, proposal.Output.Changed); // the silent leader is no longer shown as leader
    }

    [Fact]
    public void A_sitting_leader_keeps_its_place_when_a_lower_id_peer_proposes_and_answers_it_early()
    {
        var core = Core(null, Higher);
        Run(core, S(7));
        Assert.True(core.IsLeader);
        At(S(7), now => core.UpdatePeers([Higher, Lower], now));

        At(S(7.1), now => core.OnMessage(Lower, isDeclaration: false, now));
        var outputs = Run(core, S(9));

        // Declared at 6s; the answer comes at 6s + a quarter of the election duration, not at the next period (11s).
        var answer = outputs.Single(o => o.Output.Announcements.Contains(LeadershipAnnouncement.Declaration));
        Assert.Equal(S(7.25), answer.At);
        Assert.True(core.IsLeader);
    }

    [Fact]
    public void A_stream_of_proposals_cannot_make_the_leader_declare_more_than_once_per_minimum_gap()
    {
        var core = Core(null, Lower, Higher);
        At(S(0), now => core.UpdatePeers([Higher], now));
        Run(core, S(7));
        var declarations = 0;
        for (var ms = 7000; ms < 9000; ms += 10)
        {
            var output = At(TimeSpan.FromMilliseconds(ms), now => core.OnMessage(Higher, isDeclaration: false, now));
            declarations += output.Announcements.Count + core.Tick(_now).Announcements.Count;
        }

        Assert.InRange(declarations, 1, 2); // 2s of proposals every 10 ms, minimum gap 1.25s
    }

    [Fact]
    public void A_leader_that_hears_a_lower_id_leader_steps_down()
    {
        var core = Core(null, Higher);
        Run(core, S(7));
        At(S(7), now => core.UpdatePeers([Higher, Lower], now));

        var output = At(S(8), now => core.OnMessage(Lower, isDeclaration: true, now));

        Assert.Equal(new Leadership(false, Lower), output.Changed);
        Assert.Equal(ElectionPhase.Follower, core.Phase);
    }

    [Fact]
    public void A_leader_that_hears_a_higher_id_leader_stays_and_answers_at_once()
    {
        var core = Core(null, Higher);
        Run(core, S(8));

        var output = At(S(8), now => core.OnMessage(Higher, isDeclaration: true, now));

        Assert.Null(output.Changed);
        Assert.True(core.IsLeader);
        Assert.Equal([LeadershipAnnouncement.Declaration], output.Announcements);
    }

    [Fact]
    public void A_message_from_a_peer_outside_the_view_is_refused_and_changes_nothing()
    {
        var core = Core(null, Higher);

        var output = At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        Assert.Equal(LeadershipVerdict.NotInView, output.Verdict);
        Assert.Equal(ElectionPhase.Starting, core.Phase);
        Assert.Null(core.Leader);
    }

    [Fact]
    public void A_leader_whose_ordering_service_is_unreachable_yields_and_sits_out_elections_until_the_bound()
    {
        var core = Core(null, Higher);
        Run(core, S(7));

        var output = At(S(7), core.OnOrdererUnreachable);
        Assert.Equal(Leadership.None, output.Changed);
        Assert.True(core.IsYielding);

        var outputs = Run(core, S(60));
        Assert.DoesNotContain(outputs, o => o.Output.ElectionsStarted > 0);

        // Yield bound: 6 × leaderAliveThreshold = 60s after yielding; then the next silent threshold elects.
        outputs = Run(core, S(90));
        Assert.InRange(FirstProposal(outputs), S(67), S(77));
    }

    [Fact]
    public void A_yielding_peer_takes_part_again_once_another_leader_appears()
    {
        var core = Core(null, Higher);
        Run(core, S(7));
        At(S(7), core.OnOrdererUnreachable);

        At(S(12), now => core.OnMessage(Higher, isDeclaration: true, now));

        Assert.False(core.IsYielding);
        Assert.Equal(Higher, core.Leader);
        var outputs = Run(core, S(30));
        Assert.Equal(S(22), FirstProposal(outputs)); // the new leader went silent at 12s
    }

    [Fact]
    public void A_follower_ignores_an_unreachable_ordering_service()
    {
        var core = Core(null, Lower);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        At(S(1), core.OnOrdererUnreachable);

        Assert.False(core.IsYielding);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_hint_that_the_leader_is_unreachable_elects_at_once_only_with_fast_failover(bool fastFailover)
    {
        var core = Core(Settings with { FastFailover = fastFailover }, Lower, Higher);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        var output = At(S(2), now => core.OnPeerSuspected(Lower, now));

        Assert.Equal(fastFailover ? 1 : 0, output.ElectionsStarted);
        LeadershipAnnouncement[] expected = fastFailover ? [LeadershipAnnouncement.Proposal] : [];
        Assert.Equal(expected, output.Announcements);
    }

    [Fact]
    public void A_hint_about_a_peer_that_is_not_the_leader_changes_nothing()
    {
        var core = Core(null, Lower, Higher);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        Assert.True(At(S(2), now => core.OnPeerSuspected(Higher, now)).IsEmpty);
    }

    [Fact]
    public void The_leader_leaving_the_view_elects_at_once_with_fast_failover()
    {
        var core = Core(null, Lower, Higher);
        At(S(0.5), now => core.OnMessage(Lower, isDeclaration: true, now));

        var output = At(S(3), now => core.UpdatePeers([Higher], now));

        Assert.Equal(1, output.ElectionsStarted);
        Assert.Equal(ElectionPhase.Electing, core.Phase);
    }
}
