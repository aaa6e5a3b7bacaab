using Akka.Actor;
using GossipActors.Comm;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Comm;

/// <summary>Each structure that remote input can grow, flooded far past its bound.</summary>
public sealed class CommBoundsTests : IDisposable
{
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    [Fact]
    public void Inbound_queue_flooded_by_one_source_holds_its_share_and_another_source_still_gets_in_and_is_served_in_turn()
    {
        var queue = new InboundQueue<string, int>(perSource: 5, maxSources: 3);

        var accepted = Enumerable.Range(0, 10_000).Count(i => queue.TryEnqueue("flooder", i));
        Assert.Equal(5, accepted);
        Assert.True(queue.TryEnqueue("honest", -1));

        Assert.True(queue.TryDequeue(out var first));
        Assert.True(queue.TryDequeue(out var second));
        Assert.Equal((0, -1), (first, second));
        Assert.Equal(4, queue.Count);
    }

    [Fact]
    public void Inbound_queue_refuses_sources_beyond_its_bound_and_holds_nothing_for_a_drained_source()
    {
        var queue = new InboundQueue<int, int>(perSource: 2, maxSources: 4);

        var accepted = Enumerable.Range(0, 1000).Count(source => queue.TryEnqueue(source, source));
        Assert.Equal(4, accepted);
        while (queue.TryDequeue(out _))
        {
        }
        Assert.Equal((0, 0), (queue.Count, queue.Sources));
    }

    [Fact]
    public void Session_table_keeps_a_few_sessions_per_peer_and_at_most_its_capacity_in_all()
    {
        var table = new SessionTable(maxSessions: 10);
        var flooder = PeerIdentityInfo.From(_pki.Peer("Org2", "flooder").Certificate);
        for (var i = 0; i < 1000; i++)
        {
            table.Add(NewSession(flooder, TestPki.Now.AddSeconds(i)));
        }
        Assert.Equal(SessionTable.MaxPerPeer, table.Count);

        var others = Enumerable.Range(0, 50).Select(i => PeerIdentityInfo.From(_pki.Peer("Org1", $"p{i}").Certificate)).ToList();
        foreach (var other in others)
        {
            table.Add(NewSession(other, TestPki.Now));
        }
        Assert.Equal(10, table.Count);
    }

    private static Session NewSession(PeerIdentityInfo peer, DateTimeOffset at)
    {
        using var a = EphemeralKey.Create();
        using var b = EphemeralKey.Create();
        var keys = SessionKeys.Agree(a, b.Public, true, peer.PkiId, peer.PkiId, "x", "y")!;
        return new Session(keys, true, peer, ActorRefs.Nobody, 0, at);
    }

    [Fact]
    public void Outstanding_requests_take_each_nonce_once_refuse_unknown_and_expired_ones_and_stay_bounded()
    {
        var requests = new OutstandingRequests(capacity: 8, timeout: TimeSpan.FromSeconds(5));
        var now = TestPki.Now;
        for (var nonce = 1UL; nonce <= 1000; nonce++)
        {
            requests.Add(nonce, $"e{nonce}", now);
        }
        Assert.Equal(8, requests.Count);

        Assert.True(requests.TryComplete(1000, now, out var endpoint));
        Assert.Equal("e1000", endpoint);
        Assert.False(requests.TryComplete(1000, now, out _)); // once
        Assert.False(requests.TryComplete(1, now, out _));    // given up to stay bounded
        Assert.False(requests.TryComplete(4242, now, out _)); // never issued
        Assert.False(requests.TryComplete(999, now.AddSeconds(6), out _)); // expired
    }

    [Fact]
    public void Identity_store_bounds_each_org_separately_so_a_minting_org_evicts_only_its_own()
    {
        var store = new IdentityStore(maxPerOrg: 10);
        var honest = PeerIdentityInfo.From(_pki.Peer("Org1", "honest").Certificate);
        store.Learn(honest);

        var evicted = Enumerable.Range(0, 100)
            .Select(i => store.Learn(PeerIdentityInfo.From(_pki.Peer("Org2", $"minted{i}").Certificate)))
            .Count(e => e is not null);

        Assert.Equal(90, evicted);
        Assert.Equal(11, store.Count);
        Assert.True(store.TryGet(honest.PkiId, out _));
    }
}
