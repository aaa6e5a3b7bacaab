using Akka.Actor;
using GossipActors.Crypto;

namespace GossipActors.Ordering;

/// <summary>Runs a <see cref="BroadcastClient"/> to completion.</summary>
public static class Broadcast
{
    /// <summary>Starts a client in <paramref name="system"/> that signs as <paramref name="signer"/> and waits for its report.</summary>
    public static async Task<BroadcastReport> RunAsync(ActorSystem system, NodeIdentity signer, string ordererPath, string channel, int count, int size,
        int inFlight = 1000, TimeSpan? answerTimeout = null)
    {
        var done = new TaskCompletionSource<BroadcastReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        var client = system.ActorOf(BroadcastClient.Props(signer, ordererPath, channel, count, size, inFlight, answerTimeout ?? TimeSpan.FromSeconds(10), done));
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
