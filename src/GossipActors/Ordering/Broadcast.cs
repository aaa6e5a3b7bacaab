using Akka.Actor;

namespace GossipActors.Ordering;

/// <summary>Runs a <see cref="BroadcastClient"/> to completion.</summary>
public static class Broadcast
{
    /// <summary>Starts a client in <paramref name="system"/> and waits for its report.</summary>
    public static async Task<BroadcastReport> RunAsync(ActorSystem system, string ordererPath, string channel, int count, int size,
        int inFlight = 1000, TimeSpan? answerTimeout = null)
    {
        var done = new TaskCompletionSource<BroadcastReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = system.ActorOf(BroadcastClient.Props(ordererPath, channel, count, size, inFlight, answerTimeout ?? TimeSpan.FromSeconds(10), done));
        client.Tell(new BroadcastClient.Start());
        try
        {
            return await done.Task;
        }
        finally
        {
            system.Stop(client);
        }
    }
}
