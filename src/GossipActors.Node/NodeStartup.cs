using System.Collections;
using GossipActors.Boundary;
using GossipActors.Crypto;
using Microsoft.Extensions.Hosting;

namespace GossipActors.Node;

/// <summary>
/// The start-up steps the peer and orderer commands share: TLS material, listener checks and binds, and serving until
/// asked to stop. A step that fails has written why on stderr and returns the command's exit code; a step that
/// succeeds returns null.
/// </summary>
internal sealed class NodeStartup(TextWriter stderr, IReadOnlyDictionary<string, string> environment)
{
    public const int Ok = 0;
    public const int InvalidConfiguration = 2;
    public const int BadCryptoMaterial = 3;

    /// <summary>The node's TLS material after <see cref="LoadTlsAsync"/>; null when TLS is off.</summary>
    public TlsMaterial? Tls { get; private set; }

    /// <summary>"on" or "off", as the commands print it.</summary>
    public string TlsState => Tls is null ? "off" : "on";

    /// <summary>Loads the TLS material when <paramref name="enabled"/> (unreadable material: exit 3); when off, writes
    /// <paramref name="offWarning"/> on stderr.</summary>
    public async Task<int?> LoadTlsAsync(bool enabled, Func<TlsMaterial> load, string offWarning)
    {
        if (!enabled)
        {
            await stderr.WriteLineAsync(offWarning);
            return null;
        }
        try
        {
            Tls = load();
            return null;
        }
        catch (InvalidDataException ex)
        {
            await stderr.WriteLineAsync("TLS material: " + ex.Message);
            return BadCryptoMaterial;
        }
    }

    /// <summary>Runs a listener check (a port already in use: exit 2).</summary>
    public Task<int?> CheckListenersAsync(Action check) => ListenAsync(() =>
    {
        check();
        return Task.CompletedTask;
    });

    /// <summary>Runs a step that binds listeners: the node's start, its operations endpoint's (a port already in use: exit 2).</summary>
    public async Task<int?> ListenAsync(Func<Task> bind)
    {
        try
        {
            await bind();
            return null;
        }
        catch (ListenerInUseException ex)
        {
            await stderr.WriteLineAsync(ex.Message);
            return InvalidConfiguration;
        }
    }

    /// <summary>
    /// Serves until the node's host is asked to stop: Ctrl-C or SIGTERM (System.CommandLine cancels
    /// <paramref name="signalled"/>), end of stdin when the launcher asked for it (<see cref="LauncherWatch"/>), or the
    /// node's own stop (its host has a signal-free lifetime, so nothing else stops it).
    /// </summary>
    public async Task ServeUntilStopRequestedAsync(IHostApplicationLifetime lifetime, Task stopRequested, CancellationToken signalled)
    {
        // The host then stops gracefully.
        using var registration = signalled.Register(lifetime.StopApplication);
        if (LauncherWatch.Requested(environment))
        {
            LauncherWatch.Start(Console.OpenStandardInput(), lifetime.StopApplication);
        }
        await stopRequested;
    }

    /// <summary>This process's environment variables.</summary>
    public static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
}
