using System.Diagnostics;
using Akka.Actor;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// Sends <paramref name="message"/> to <paramref name="target"/>, times the round trip when any answer comes back,
/// sends again: half of each round trip goes into <paramref name="oneWayMs"/> until it holds <paramref name="trips"/>,
/// then <paramref name="done"/> completes.
/// </summary>
internal sealed class Pinger(IActorRef target, object message, int trips, List<double> oneWayMs, TaskCompletionSource done) : ReceiveActor
{
    private long _sentAt;

    protected override void PreStart()
    {
        Become(() => ReceiveAny(_ =>
        {
            oneWayMs.Add(Stopwatch.GetElapsedTime(_sentAt).TotalMilliseconds / 2);
            if (oneWayMs.Count == trips)
            {
                done.TrySetResult();
                return;
            }
            Ping();
        }));
        Ping();
    }

    private void Ping()
    {
        _sentAt = Stopwatch.GetTimestamp();
        target.Tell(message, Self);
    }
}
