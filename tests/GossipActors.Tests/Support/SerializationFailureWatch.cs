using System.Collections.Concurrent;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Event;

namespace GossipActors.Tests.Support;

/// <summary>
/// Collects the serialization failures an actor system logs: with serialize-messages on, Akka drops a message that
/// fails to serialize and publishes an Error "Swallowing exception during message send" whose cause is a
/// SerializationException naming the type. A spec asserts none at its end, so a message that would not cross the wire
/// fails the spec with its type named, not with a timeout elsewhere. When the receiving actor has not started yet,
/// Akka 1.5.74 loses that cause: building its error text it reads the actor's type and throws a NullReferenceException
/// instead; the Error is still published with the same text, and is collected too.
/// </summary>
public sealed class SerializationFailureWatch
{
    private readonly ConcurrentQueue<string> _failures = new();

    public SerializationFailureWatch(ActorSystem system)
    {
        var listener = system.ActorOf(Props.Create(() => new Listener(_failures)));
        system.EventStream.Subscribe(listener, typeof(Error));
    }

    public IReadOnlyCollection<string> Failures => [.. _failures];

    public const string DroppedOnSend = "Swallowing exception during message send";

    public static bool IsSerializationFailure(Error error)
    {
        if (error.Message?.ToString()?.Contains(DroppedOnSend, StringComparison.Ordinal) == true)
        {
            return true;
        }
        for (var cause = error.Cause; cause is not null; cause = cause.InnerException)
        {
            if (cause is SerializationException)
            {
                return true;
            }
        }
        return false;
    }

    private sealed class Listener : ReceiveActor
    {
        public Listener(ConcurrentQueue<string> failures) =>
            Receive<Error>(IsSerializationFailure, error => failures.Enqueue(Describe(error)));

        private static string Describe(Error error) => error.Cause switch
        {
            SerializationException cause => $"{error.LogSource}: {cause.GetBaseException().Message} ({cause.Message})",
            NullReferenceException => $"{error.LogSource}: a message to an actor that had not started yet failed to serialize (Akka lost the cause)",
            { } cause => $"{error.LogSource}: {cause.GetBaseException().Message}",
            null => $"{error.LogSource}: {error.Message}",
        };
    }
}
