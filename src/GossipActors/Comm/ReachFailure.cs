using Akka.Actor;

namespace GossipActors.Comm;

/// <summary>
/// Why an endpoint could not be reached, in gossip's words rather than Akka's (an actor selection that resolved to
/// nothing says "subject was null"): what an operator can act on. The exception's own text goes to DEBUG only.
/// </summary>
public static class ReachFailure
{
    public static string Describe(Exception failure, TimeSpan timeout) => failure.GetBaseException() switch
    {
        ActorNotFoundException => "no gossip peer answers there (the node is down, unreachable, refused our TLS certificate, or is not a gossip peer)",
        AskTimeoutException or TimeoutException => $"no answer within {timeout.TotalSeconds:0.#} s",
        ArgumentException => "not a valid host:port",
        _ => "the connection failed",
    };
}
