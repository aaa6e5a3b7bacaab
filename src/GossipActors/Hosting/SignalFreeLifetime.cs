using Microsoft.Extensions.Hosting;

namespace GossipActors.Hosting;

/// <summary>
/// A host lifetime that handles no signal: a node's host is stopped by whoever started it (the peer and orderer
/// commands on Ctrl-C, SIGTERM or their launcher gone; a test by disposing it). The default console lifetime would
/// register SIGINT/SIGTERM handlers for every peer that a test process starts, and in the commands it would wait behind
/// System.CommandLine's own handler.
/// </summary>
public sealed class SignalFreeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
