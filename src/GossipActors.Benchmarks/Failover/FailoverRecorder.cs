using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using GossipActors.Channels;

namespace GossipActors.Benchmarks.Failover;

/// <summary>What one peer's actor system observed, with its Stopwatch timestamp.</summary>
internal sealed record FailoverEvent(int Peer, ulong? Committed, bool BecameLeader, long At);

/// <summary>Records one peer's committed blocks and its leadership changes (both come over the event stream).</summary>
internal sealed class FailoverRecorder : ReceiveActor
{
    public FailoverRecorder(int peer, ConcurrentQueue<FailoverEvent> events)
    {
        Receive<BlockCommitted>(c => events.Enqueue(new FailoverEvent(peer, c.Number, false, Stopwatch.GetTimestamp())));
        Receive<LeadershipObserved>(l => events.Enqueue(new FailoverEvent(peer, null, l.Change.IsLeader, Stopwatch.GetTimestamp())));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(BlockCommitted));
        Context.System.EventStream.Subscribe(Self, typeof(LeadershipObserved));
    }

    public static Props Props(int peer, ConcurrentQueue<FailoverEvent> events) =>
        Akka.Actor.Props.Create(() => new FailoverRecorder(peer, events));
}
