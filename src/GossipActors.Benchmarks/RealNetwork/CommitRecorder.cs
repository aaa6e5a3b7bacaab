using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using GossipActors.Channels;

namespace GossipActors.Benchmarks.RealNetwork;

/// <summary>Records when each peer of one actor system committed each block (Stopwatch timestamps).</summary>
internal sealed class CommitRecorder : ReceiveActor
{
    public CommitRecorder(int peer, ConcurrentDictionary<(int Peer, ulong Number), long> commits)
    {
        Receive<BlockCommitted>(c => commits.TryAdd((peer, c.Number), Stopwatch.GetTimestamp()));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(BlockCommitted));

    public static Props Props(int peer, ConcurrentDictionary<(int Peer, ulong Number), long> commits) =>
        Akka.Actor.Props.Create(() => new CommitRecorder(peer, commits));
}
