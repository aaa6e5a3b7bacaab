using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote;

namespace GossipActors.Boundary;

/// <summary>
/// Keeps a TLS actor system running when a TLS handshake it started fails.
/// <para>Akka.Remote (since 1.5.50, akka.net #7839) runs the system's coordinated shutdown on any failed outbound TLS
/// handshake, reasoning that the failing side is the misconfigured one. In a gossip network it is often the other
/// side: a peer that refuses us (its CA list lacks ours, its certificate expired, it closed the connection while
/// restarting), or whatever listens at an address we dial. Left alone, one peer with a bad certificate, or anyone
/// able to accept TCP connections at a bootstrap, peer or orderer endpoint, stops every node that dials it.</para>
/// <para>The guard adds a first shutdown phase (<see cref="Phase"/>, recover off) whose one task fails when the reason
/// is that TLS failure, which ends the run before any other phase: nothing is stopped. The connection itself still
/// fails, Akka gates the address and comm sees it unreachable, as for any failed connection. Each such failure is
/// counted in the system's <see cref="BoundaryRefusals"/> (<c>tls_outbound_handshakes_failed_total</c>).</para>
/// <para>The cost: Akka runs a system's coordinated shutdown once, so after a refused run a later run returns the
/// same failure. <see cref="StopAsync"/> then terminates the system directly, which is why a guarded system has
/// <c>run-by-actor-system-terminate = off</c> (<see cref="ActorSystem.Terminate"/> stops the actors without
/// running the phases).</para>
/// </summary>
public static class OutboundTlsFailureGuard
{
    /// <summary>The coordinated-shutdown phase that runs before all others.</summary>
    public const string Phase = "refuse-shutdown-on-outbound-tls-failure";

    /// <summary>Akka.Remote's shutdown reason for a failed outbound TLS handshake (an internal type).</summary>
    private const string TlsFailureReason = "Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason";

    /// <summary>The configuration of a guarded system (goes with the TLS transport settings).</summary>
    public static Config Config { get; } = ConfigurationFactory.ParseString($$"""
        akka.coordinated-shutdown {
          run-by-actor-system-terminate = off
          phases {
            {{Phase}} { timeout = 5s, recover = off, depends-on = [] }
            before-service-unbind.depends-on = [{{Phase}}]
          }
        }
        """);

    /// <summary>Installs the guard in <paramref name="system"/> (configured with <see cref="Config"/>) and counts
    /// failed outbound handshakes into <paramref name="refusals"/>.</summary>
    /// <param name="listener">What the system is, for the log: "gossip endpoint 127.0.0.1:7051".</param>
    public static void Install(ActorSystem system, string listener, BoundaryRefusals refusals)
    {
        ArgumentNullException.ThrowIfNull(system);
        var shutdown = CoordinatedShutdown.Get(system);
        // Throws Akka's ConfigurationException, naming the phase, when the system was not given Config.
        shutdown.AddTask(Phase, "keep-running", () =>
        {
            if (!IsTlsFailure(shutdown.ShutdownReason))
            {
                return Task.FromResult(Done.Instance);
            }
            system.Log.Warning("{0}: Akka.Remote asked to shut the actor system down after a failed outbound TLS handshake ({1}); refused, " +
                "only that connection fails. A later stop terminates the system without coordinated-shutdown phases.", listener, shutdown.ShutdownReason);
            return Task.FromException<Done>(new OutboundTlsFailureRefusedException(shutdown.ShutdownReason!.ToString() ?? ""));
        });
        var counter = system.ActorOf(Props.Create(() => new FailureCounter(refusals)), "outbound-tls-failures");
        system.EventStream.Subscribe(counter, typeof(AssociationErrorEvent));
    }

    /// <summary>Whether the guard refused a coordinated shutdown of <paramref name="system"/> (so it cannot run one now).</summary>
    public static bool Refused(ActorSystem system) => IsTlsFailure(CoordinatedShutdown.Get(system).ShutdownReason);

    /// <summary>Stops <paramref name="system"/>: its coordinated shutdown with <paramref name="reason"/>, or, when the
    /// guard refused one, a direct termination.</summary>
    public static async Task StopAsync(ActorSystem system, CoordinatedShutdown.Reason reason)
    {
        if (!Refused(system))
        {
            try
            {
                await CoordinatedShutdown.Get(system).Run(reason);
                return;
            }
            catch (Exception) when (Refused(system))
            {
                // A TLS failure started the shutdown first and the guard refused it: terminate below.
            }
        }
        await system.Terminate();
    }

    private static bool IsTlsFailure(CoordinatedShutdown.Reason? reason) => reason?.GetType().FullName == TlsFailureReason;

    /// <summary>Akka.Remote reports a failed association with its cause; a TLS handshake failure is named in its message.</summary>
    private static bool IsTlsHandshakeFailure(Exception? cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is Akka.Remote.Transport.InvalidAssociationException && e.Message.StartsWith("TLS handshake failed", StringComparison.Ordinal))
            {
                return true;
            }
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTlsHandshakeFailure))
            {
                return true;
            }
        }
        return false;
    }

    private sealed class FailureCounter : ReceiveActor
    {
        public FailureCounter(BoundaryRefusals refusals) =>
            Receive<AssociationErrorEvent>(e =>
            {
                if (!e.IsInbound && IsTlsHandshakeFailure(e.Cause))
                {
                    refusals.OutboundTlsFailed();
                }
            });
    }
}

/// <summary>The failure with which <see cref="OutboundTlsFailureGuard"/> ends a coordinated shutdown that a failed
/// outbound TLS handshake started.</summary>
public sealed class OutboundTlsFailureRefusedException(string reason)
    : Exception($"Coordinated shutdown refused: it was started by a failed outbound TLS handshake ({reason}).");
