using GossipActors.Channels;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Ledger;

/// <summary>The state-transfer planner on a virtual clock: batches, pipelining, retries, failover, bad senders.</summary>
public sealed class StateTransferPlannerTests
{
    private static readonly TimeSpan Check = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly StateTransferOptions Options = new(true, Check, Timeout, BatchSize: 10, MaxRetries: 2, Window: 40, MaxResponseBytes: 1 << 20);

    private readonly ManualTimeProvider _clock = new();
    private readonly PkiId _self = Id(0);
    private readonly HashSet<ulong> _have = [];
    private ulong _accepted;

    private static PkiId Id(byte n)
    {
        var bytes = new byte[PkiId.Length];
        bytes[0] = n;
        return PkiId.FromBytes(bytes);
    }

    private static ChannelPeerSet Peers(params (byte Id, ulong Height)[] peers) =>
        new(peers.Select(p => new ChannelPeer(Id(p.Id), "Org" + p.Id, p.Height)));

    private StateTransferPlanner Planner(StateTransferOptions? options = null) => new(options ?? Options, _self, new Random(7), _clock.GetUtcNow());

    private List<StateRequestOut> Plan(StateTransferPlanner planner, ChannelPeerSet peers) =>
        planner.Plan(_accepted, _accepted, n => n < _accepted || _have.Contains(n), peers, _clock.GetUtcNow());

    /// <summary>As the shell does: blocks of an answered request accepted, the accepted height moved over them.</summary>
    private void Receive(StateRequestOut request)
    {
        for (var n = request.From; n <= request.To; n++)
        {
            _have.Add(n);
        }
        while (_have.Remove(_accepted))
        {
            _accepted++;
        }
    }

    [Fact]
    public void A_peer_a_batch_or_more_behind_pipelines_window_over_batch_requests_spread_over_the_peers_at_once()
    {
        var planner = Planner();
        var peers = Peers((1, 100), (2, 100), (3, 100));

        planner.OnHeightReported(0, 100);
        var requests = Plan(planner, peers);

        Assert.Equal([(0UL, 9UL), (10, 19), (20, 29), (30, 39)], requests.Select(r => (r.From, r.To)));
        Assert.Equal(3, requests.Select(r => r.Peer).Distinct().Count());
        Assert.Empty(Plan(planner, peers)); // the pipeline is full
        Assert.Equal(4, planner.InFlight);
    }

    [Fact]
    public void An_answered_request_makes_room_for_the_next_range_beyond_the_ones_in_flight()
    {
        var planner = Planner();
        var peers = Peers((1, 100), (2, 100));
        planner.OnHeightReported(0, 100);
        var first = Plan(planner, peers);

        Assert.NotNull(planner.OnResponse(first[0].Peer, first[0].Nonce, _clock.GetUtcNow()));
        Receive(first[0]);
        var next = Plan(planner, peers);

        Assert.Equal([(40UL, 49UL)], next.Select(r => (r.From, r.To)));
    }

    [Fact]
    public void A_range_is_split_to_what_the_only_peer_that_has_part_of_it_holds()
    {
        var planner = Planner();
        planner.OnHeightReported(0, 15);

        var requests = Plan(planner, Peers((1, 15)));

        Assert.Equal([(0UL, 9UL), (10, 14)], requests.Select(r => (r.From, r.To)));
    }

    [Fact]
    public void A_small_lag_is_left_to_gossip_until_it_has_lasted_a_whole_check_interval()
    {
        var planner = Planner();
        var peers = Peers((1, 3));
        planner.OnHeightReported(0, 3);
        Assert.Empty(Plan(planner, peers));

        _clock.Advance(Check);
        planner.Tick(_clock.GetUtcNow(), peers); // height 3 seen at this check
        Assert.Empty(Plan(planner, peers));

        _clock.Advance(Check);
        planner.Tick(_clock.GetUtcNow(), peers); // still missing a whole interval later
        Assert.Equal([(0UL, 2UL)], Plan(planner, peers).Select(r => (r.From, r.To)));
    }

    [Fact]
    public void A_request_that_times_out_is_retried_on_another_peer()
    {
        var planner = Planner(Options with { Window = 10 });
        var peers = Peers((1, 50), (2, 50));
        planner.OnHeightReported(0, 50);
        var first = Assert.Single(Plan(planner, peers));
        Assert.Equal(_clock.GetUtcNow() + Timeout, planner.NextDue);

        _clock.Advance(Timeout);
        planner.Tick(_clock.GetUtcNow(), peers);
        var retry = Assert.Single(Plan(planner, peers));

        Assert.Equal((first.From, first.To), (retry.From, retry.To));
        Assert.NotEqual(first.Peer, retry.Peer);
        Assert.Equal(1, planner.Counters.Timeouts);
        Assert.Equal(1, planner.Counters.Retries);
        Assert.Null(planner.OnResponse(first.Peer, first.Nonce, _clock.GetUtcNow())); // the late answer to the first is dropped
        Assert.Equal(1, planner.Counters.Unsolicited);
    }

    [Fact]
    public void An_answer_from_a_peer_gives_its_queued_requests_a_whole_timeout_from_then()
    {
        var planner = Planner(Options with { Window = 20 });
        planner.OnHeightReported(0, 50);
        var requests = Plan(planner, Peers((1, 50)));
        Assert.Equal(2, requests.Count);

        _clock.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.NotNull(planner.OnResponse(requests[0].Peer, requests[0].Nonce, _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromSeconds(2)); // past the second request's first deadline
        planner.Tick(_clock.GetUtcNow(), Peers((1, 50)));

        Assert.Equal(0, planner.Counters.Timeouts);
        Assert.Equal(1, planner.InFlight);
        _clock.Advance(Timeout);
        planner.Tick(_clock.GetUtcNow(), Peers((1, 50)));
        Assert.Equal(1, planner.Counters.Timeouts);
    }

    [Fact]
    public void After_max_retries_the_round_ends_until_the_next_check()
    {
        var planner = Planner(Options with { Window = 10, MaxRetries = 1 });
        var peers = Peers((1, 50), (2, 50));
        planner.OnHeightReported(0, 50);
        Assert.Single(Plan(planner, peers));
        _clock.Advance(Timeout);
        planner.Tick(_clock.GetUtcNow(), peers);
        Assert.Single(Plan(planner, peers)); // retry 1

        _clock.Advance(Timeout);
        planner.Tick(_clock.GetUtcNow(), peers);

        Assert.Empty(Plan(planner, peers));
        Assert.Equal(1, planner.Counters.GaveUp);
        _clock.Advance(Check - Timeout * 2);
        planner.Tick(_clock.GetUtcNow(), peers);
        Assert.Single(Plan(planner, peers)); // a new round
    }

    [Fact]
    public void An_empty_response_fails_over_to_another_peer_at_once()
    {
        var planner = Planner(Options with { Window = 10 });
        var peers = Peers((1, 50), (2, 50));
        planner.OnHeightReported(0, 50);
        var first = Assert.Single(Plan(planner, peers));

        planner.OnEmpty(first.Peer, planner.OnResponse(first.Peer, first.Nonce, _clock.GetUtcNow())!);
        var retry = Assert.Single(Plan(planner, peers));

        Assert.NotEqual(first.Peer, retry.Peer);
        Assert.Equal(first.From, retry.From);
        Assert.Equal(1, planner.Counters.EmptyResponses);
    }

    [Fact]
    public void A_sender_of_a_forged_block_is_not_asked_again_in_the_round_and_its_ranges_go_elsewhere()
    {
        var planner = Planner();
        var peers = Peers((1, 100), (2, 100), (3, 100));
        planner.OnHeightReported(0, 100);
        var requests = Plan(planner, peers);
        var forger = requests[0].Peer;
        var answered = planner.OnResponse(forger, requests[0].Nonce, _clock.GetUtcNow())!;

        planner.OnBadSender(forger, answered);
        var reissued = Plan(planner, peers);

        Assert.Contains(forger, planner.Excluded);
        Assert.NotEmpty(reissued);
        Assert.DoesNotContain(reissued, r => r.Peer == forger);
        Assert.Contains(reissued, r => r.From == answered.From && r.To == answered.To);
        Assert.Equal(requests.Count(r => r.Peer == forger), reissued.Count);
        Assert.Equal(1, planner.Counters.BadResponses);
        // Only the forger has the rest: nothing is asked of it in this round.
        var onlyForger = Peers((forger.Span[0], 100));
        foreach (var r in reissued.Concat(requests.Where(r => r.Peer != forger)))
        {
            planner.OnResponse(r.Peer, r.Nonce, _clock.GetUtcNow());
        }
        Assert.Empty(Plan(planner, onlyForger));

        _clock.Advance(Check);
        planner.Tick(_clock.GetUtcNow(), onlyForger);
        Assert.Empty(planner.Excluded);
        Assert.NotEmpty(Plan(planner, onlyForger));
    }

    [Fact]
    public void A_response_from_another_peer_than_the_one_asked_is_dropped()
    {
        var planner = Planner();
        planner.OnHeightReported(0, 100);
        var request = Plan(planner, Peers((1, 100), (2, 100)))[0];
        var impostor = request.Peer == Id(1) ? Id(2) : Id(1);

        Assert.Null(planner.OnResponse(impostor, request.Nonce, _clock.GetUtcNow()));
        Assert.NotNull(planner.OnResponse(request.Peer, request.Nonce, _clock.GetUtcNow()));
    }

    [Fact]
    public void Blocks_already_buffered_are_not_requested()
    {
        var planner = Planner();
        planner.OnHeightReported(0, 30);
        _have.UnionWith([3, 4, 5]);

        var requests = Plan(planner, Peers((1, 30)));

        Assert.Equal([(0UL, 2UL), (6, 15), (16, 25), (26, 29)], requests.Select(r => (r.From, r.To)));
    }

    [Fact]
    public void When_disabled_nothing_is_requested_and_no_timer_is_wanted()
    {
        var planner = Planner(Options with { Enabled = false });
        planner.OnHeightReported(0, 100);

        Assert.Empty(Plan(planner, Peers((1, 100))));
        Assert.Null(planner.NextDue);
    }
}
