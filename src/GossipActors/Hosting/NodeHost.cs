using GossipActors.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace GossipActors.Hosting;

/// <summary>
/// A started node's host and its operations endpoint, and how they stop: what <see cref="PeerNode"/> and
/// <see cref="Ordering.OrdererNode"/> share. <see cref="StopAsync"/> stops the operations endpoint, then the host,
/// and disposes the host, once however often and concurrently it is called.
/// </summary>
internal sealed class NodeHost(IHost host)
{
    private readonly Lock _gate = new();
    private Task? _stop;

    /// <summary>StopApplication asks the node to stop.</summary>
    public IHostApplicationLifetime Lifetime => host.Services.GetRequiredService<IHostApplicationLifetime>();

    /// <summary>The operations endpoint, once started.</summary>
    public OperationsServer? Operations { get; set; }

    /// <summary>Completes when the host is asked to stop (StopApplication, or the actor system's own termination).</summary>
    public Task StopRequested
    {
        get
        {
            var requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Lifetime.ApplicationStopping.Register(() => requested.TrySetResult());
            return requested.Task;
        }
    }

    public ValueTask StopAsync()
    {
        lock (_gate)
        {
            _stop ??= StopOnce();
        }
        return new ValueTask(_stop);
    }

    private async Task StopOnce()
    {
        if (Operations is not null)
        {
            await Operations.DisposeAsync();
            Operations = null;
        }
        var system = host.Services.GetService<Akka.Actor.ActorSystem>();
        try
        {
            await host.StopAsync();
        }
        catch (Exception) when (system is not null && Boundary.OutboundTlsFailureGuard.Refused(system))
        {
            // Akka.Hosting stops the system by its coordinated shutdown, which the guard refused earlier: terminate below.
        }
        if (system is not null && Boundary.OutboundTlsFailureGuard.Refused(system))
        {
            await system.Terminate();
        }
        host.Dispose();
    }
}
