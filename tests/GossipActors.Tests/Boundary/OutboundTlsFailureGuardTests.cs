using Akka.Actor;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Configuration;
using Xunit;

namespace GossipActors.Tests.Boundary;

/// <summary>
/// The guard's mechanics in a local actor system: a coordinated shutdown started with Akka.Remote's TLS-failure reason
/// is refused and stops nothing; any other reason runs as usual; a refused system still stops through
/// <see cref="OutboundTlsFailureGuard.StopAsync"/>. (The real handshake is in the integration OutboundTlsFailureSpec.)
/// </summary>
public sealed class OutboundTlsFailureGuardTests
{
    /// <summary>Akka.Remote's reason, an internal type: if Akka renames it, this fails and the guard must follow.</summary>
    private static CoordinatedShutdown.Reason TlsFailureReason() =>
        (CoordinatedShutdown.Reason)Activator.CreateInstance(
            typeof(Akka.Remote.RemoteActorRefProvider).Assembly.GetType("Akka.Remote.Transport.DotNetty.TlsHandshakeFailureReason", throwOnError: true)!,
            "TLS handshake failed on outbound connection to [127.0.0.1:7051]")!;

    private static ActorSystem GuardedSystem(BoundaryRefusals refusals)
    {
        var config = OutboundTlsFailureGuard.Config
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF"))
            .WithFallback(ReferenceConfig.Load());
        var system = ActorSystem.Create("guarded", config);
        OutboundTlsFailureGuard.Install(system, "test", refusals);
        return system;
    }

    [Fact]
    public async Task A_shutdown_started_by_a_failed_outbound_TLS_handshake_is_refused_and_the_system_still_stops_when_asked()
    {
        var system = GuardedSystem(new BoundaryRefusals());
        var actor = system.ActorOf(Props.Empty, "still-here");

        var run = CoordinatedShutdown.Get(system).Run(TlsFailureReason());

        await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(system.WhenTerminated.IsCompleted);
        Assert.True(OutboundTlsFailureGuard.Refused(system));
        Assert.Equal("TLS handshake failed on outbound connection to [127.0.0.1:7051]", OutboundTlsFailureGuard.TlsFailure(system));
        var identity = await system.ActorSelection("/user/still-here").Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(10));
        Assert.Equal(actor, identity.Subject);

        await OutboundTlsFailureGuard.StopAsync(system, CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task Any_other_shutdown_runs_through_the_guard_and_terminates_the_system()
    {
        var system = GuardedSystem(new BoundaryRefusals());

        await OutboundTlsFailureGuard.StopAsync(system, CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.False(OutboundTlsFailureGuard.Refused(system));
        Assert.Null(OutboundTlsFailureGuard.TlsFailure(system));
    }

    [Fact]
    public async Task Installing_the_guard_in_a_system_without_its_phase_names_the_phase()
    {
        var system = ActorSystem.Create("unguarded", ConfigurationFactory.ParseString("akka.loglevel = OFF\nakka.stdout-loglevel = OFF").WithFallback(ReferenceConfig.Load()));
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => OutboundTlsFailureGuard.Install(system, "test", new BoundaryRefusals()));
            Assert.Contains(OutboundTlsFailureGuard.Phase, error.Message);
        }
        finally
        {
            await system.Terminate().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
