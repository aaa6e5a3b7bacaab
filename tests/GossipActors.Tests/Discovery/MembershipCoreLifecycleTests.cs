using GossipActors.Discovery;
using Xunit;
using static GossipActors.Tests.Discovery.MembershipTestPeers;

namespace GossipActors.Tests.Discovery;

/// <summary>Alive, dead, purged: the life of a peer in the view, in virtual time.</summary>
public sealed class MembershipCoreLifecycleTests
{
    private static readonly MembershipSettings Settings = new();

    [Fact]
    public void Unheard_peer_is_declared_dead_exactly_at_alive_expiration_timeout()
    {
        var core = Core();
        core.Tick(T0);
        Assert.Equal(AliveOutcome.New, core.OnAlive(Alive(1), T0).Outcome);

        Assert.Empty(core.Tick(T0 + Settings.AliveExpirationTimeout - TimeSpan.FromTicks(1)).OfType<PeerBecameDead>());
        var dead = Single<PeerBecameDead>(core.Tick(T0 + Settings.AliveExpirationTimeout));

        Assert.Equal(Id(1), dead.Peer.PkiId);
        Assert.Equal(DeathCause.Expired, dead.Cause);
        Assert.Equal(0, core.AliveCount);
        Assert.Equal(Id(1), Assert.Single(core.DeadMembers).PkiId);
    }

    [Fact]
    public void Dead_peer_is_purged_at_expiration_timeout_times_msg_expiration_factor()
    {
        var core = Core();
        core.OnAlive(Alive(1), T0);
        core.Tick(T0 + Settings.AliveExpirationTimeout);

        Assert.Empty(core.Tick(T0 + Settings.PurgeAfter - TimeSpan.FromTicks(1)).OfType<PeerPurged>());
        var purged = Single<PeerPurged>(core.Tick(T0 + Settings.PurgeAfter));

        Assert.Equal(PurgeCause.Expired, purged.Cause);
        Assert.Null(core.Lookup(Id(1)));
    }

    [Fact]
    public void Renewed_certificate_purges_the_old_identity_at_once_and_only_once()
    {
        var core = Core();
        core.OnAlive(Alive(1), T0);

        var purged = Single<PeerPurged>(core.OnCertificateRenewed(Id(1)));

        Assert.Equal(PurgeCause.CertificateRenewed, purged.Cause);
        Assert.Null(core.Lookup(Id(1)));
        Assert.Empty(core.OnCertificateRenewed(Id(1)));
    }

    [Fact]
    public void Newer_incarnation_replaces_the_old_one()
    {
        var core = Core();
        core.OnAlive(Alive(1, seq: 50, inc: 1), T0);

        var result = core.OnAlive(Alive(1, seq: 1, inc: 2), T0.AddSeconds(1));

        Assert.Equal(AliveOutcome.Restarted, result.Outcome);
        Assert.Equal(new PeerTime(2, 1), core.Lookup(Id(1))!.Record.Time);
        Assert.Equal(AliveOutcome.Stale, core.OnAlive(Alive(1, seq: 51, inc: 1), T0.AddSeconds(2)).Outcome);
    }

    [Fact]
    public void Stale_or_repeated_sequence_is_rejected_and_not_forwarded()
    {
        var core = Core();
        Learn(core, 5, T0);
        core.OnAlive(Alive(9, seq: 5), T0);
        core.FlushForwards(T0);

        Assert.Equal(AliveOutcome.Stale, core.OnAlive(Alive(9, seq: 5), T0.AddSeconds(1)).Outcome);
        Assert.Equal(AliveOutcome.Stale, core.OnAlive(Alive(9, seq: 4), T0.AddSeconds(1)).Outcome);
        Assert.False(core.HasPendingForwards);
        Assert.Equal(T0, core.Lookup(Id(9))!.LastHeard);
    }

    [Fact]
    public void Peer_heard_again_after_death_is_resurrected()
    {
        var core = Core();
        core.OnAlive(Alive(1, seq: 1), T0);
        core.Tick(T0 + Settings.AliveExpirationTimeout);

        var result = core.OnAlive(Alive(1, seq: 9), T0.AddSeconds(40));

        Assert.Equal(AliveOutcome.Resurrected, result.Outcome);
        Assert.True(Single<PeerBecameAlive>(result.Actions).Resurrected);
        Assert.True(core.Lookup(Id(1))!.IsAlive);
    }

    [Fact]
    public void Second_hand_record_does_not_resurrect_a_dead_peer_but_its_own_answer_does()
    {
        var core = Core();
        core.OnAlive(Alive(1, seq: 1), T0);
        core.OnAlive(Alive(2, seq: 1), T0);
        core.Tick(T0 + Settings.AliveExpirationTimeout);

        var fromOther = core.OnMembershipResponse(Id(2), [Alive(1, seq: 2)], T0.AddSeconds(30));
        Assert.Empty(fromOther.Actions.OfType<PeerBecameAlive>());
        Assert.False(core.Lookup(Id(1))!.IsAlive);

        var fromItself = core.OnMembershipResponse(Id(1), [Alive(1, seq: 3)], T0.AddSeconds(31));
        Assert.True(Single<PeerBecameAlive>(fromItself.Actions).Resurrected);
    }

    [Fact]
    public void Second_hand_record_is_credited_with_its_estimated_emission_time_not_arrival()
    {
        var core = Core();
        var emitted = Micros(T0.AddHours(-3)); // its clock is 3 h behind ours: only differences of sequences count
        core.OnAlive(Alive(1, seq: emitted), T0);

        // Sequences follow the sender's clock in µs: 10 s later by its clock, though it arrives 20 s later.
        core.OnMembershipResponse(Id(2), [Alive(1, seq: emitted + 10_000_000)], T0.AddSeconds(20));
        Assert.Equal(T0.AddSeconds(10), core.Lookup(Id(1))!.LastHeard);

        // Never later than now.
        core.OnMembershipResponse(Id(2), [Alive(1, seq: emitted + 60_000_000)], T0.AddSeconds(21));
        Assert.Equal(T0.AddSeconds(21), core.Lookup(Id(1))!.LastHeard);
    }

    [Fact]
    public void Send_failure_declares_the_peer_dead_at_once()
    {
        var core = Core();
        core.OnAlive(Alive(1), T0);

        var dead = Single<PeerBecameDead>(core.OnSendFailed(Id(1), T0.AddSeconds(1)));

        Assert.Equal(DeathCause.SendFailed, dead.Cause);
        Assert.False(core.Lookup(Id(1))!.IsAlive);
        Assert.Empty(core.OnSendFailed(Id(1), T0.AddSeconds(2)));
    }

    [Fact]
    public void Peer_whose_certificate_expires_is_removed_and_its_expired_alives_rejected()
    {
        var core = Core();
        var notAfter = T0.AddSeconds(10);
        core.OnAlive(Alive(1, notAfter: notAfter), T0);

        var purged = Single<PeerPurged>(core.Tick(notAfter));

        Assert.Equal(PurgeCause.CertificateExpired, purged.Cause);
        Assert.Null(core.Lookup(Id(1)));
        Assert.Equal(AliveOutcome.CertificateExpired, core.OnAlive(Alive(1, seq: 2, notAfter: notAfter), notAfter).Outcome);
    }

    [Fact]
    public void Own_alive_is_published_every_alive_interval_with_the_clock_as_sequence()
    {
        var core = Core();
        core.Tick(T0);
        Assert.Equal(Micros(T0), core.Self.Sequence);
        core.Tick(T0 + Settings.AliveInterval - Settings.TickTolerance - TimeSpan.FromTicks(1)); // a tick this early waits
        Assert.Equal(Micros(T0), core.Self.Sequence);
        core.Tick(T0 + Settings.AliveInterval);
        Assert.Equal(Micros(T0 + Settings.AliveInterval), core.Self.Sequence);
    }

    [Fact]
    public void A_core_rebuilt_after_a_restart_with_the_same_incarnation_emits_only_newer_alives()
    {
        var before = Core();
        before.Tick(T0);
        before.Tick(T0 + Settings.AliveInterval);
        var last = before.Self.Time;

        var after = Core(); // the actor restarted: same incarnation, sequence 0 again
        after.Tick(T0 + Settings.AliveInterval + TimeSpan.FromMilliseconds(1));

        Assert.Equal(last.Incarnation, after.Self.Incarnation);
        Assert.True(after.Self.Time.IsNewerThan(last), $"{after.Self.Time} after a restart is not newer than {last}");
    }

    [Fact]
    public void Sequence_does_not_go_back_when_the_clock_does_not_move()
    {
        Assert.Equal(Micros(T0) + 1, PeerTime.NextSequence(Micros(T0), T0));
        Assert.Equal(Micros(T0) + 1, PeerTime.NextSequence(Micros(T0), T0 - TimeSpan.FromSeconds(1)));
    }

    private static ulong Micros(DateTimeOffset time) => (ulong)((time - DateTimeOffset.UnixEpoch).Ticks / 10);

    [Fact]
    public void Own_alive_is_sealed_by_the_shell_supplied_function()
    {
        var core = new MembershipCore(Alive(0, seq: 0), Settings, [], [], new Random(1), r => $"signed-{r.Sequence}");
        core.Tick(T0);
        Assert.Equal($"signed-{Micros(T0)}", core.Self.Envelope);
    }

    [Fact]
    public void Alive_about_ourselves_is_ignored()
    {
        Assert.Equal(AliveOutcome.Self, Core().OnAlive(Alive(0, seq: 99), T0).Outcome);
    }

    [Fact]
    public void Invalid_settings_name_the_key_and_the_value()
    {
        var error = Assert.Throws<ArgumentException>(() => new MembershipSettings { PropagatePeerNum = 0 }.Validate());
        Assert.Contains("peer.gossip.propagatePeerNum = 0", error.Message, StringComparison.Ordinal);
    }
}
