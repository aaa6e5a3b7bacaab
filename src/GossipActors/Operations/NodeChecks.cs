using Akka.Actor;

namespace GossipActors.Operations;

/// <summary>The /healthz checks that peers and the orderer share.</summary>
public static class NodeChecks
{
    /// <summary>The probe file <see cref="LedgerWritable"/> writes and deletes.</summary>
    public const string ProbeFile = ".healthz-probe";

    /// <summary>"actorSystem": fails once <paramref name="system"/> has terminated.</summary>
    public static HealthCheck ActorSystem(ActorSystem system) =>
        new("actorSystem", _ => Task.FromResult(system.WhenTerminated.IsCompleted ? $"the actor system {system.Name} has terminated" : null));

    /// <summary>"ledger": fails unless a probe file can be written and deleted in <paramref name="directory"/>.</summary>
    /// <param name="key">The setting that names the directory, quoted in the reason.</param>
    public static HealthCheck Ledger(string directory, string key) =>
        new("ledger", _ => Task.FromResult(LedgerWritable(directory, key)));

    /// <summary>null when a probe file can be written and deleted in <paramref name="directory"/>, else why not.</summary>
    public static string? LedgerWritable(string directory, string key)
    {
        if (!Directory.Exists(directory))
        {
            return $"the ledger directory {directory} ({key}) does not exist";
        }
        var probe = Path.Combine(directory, ProbeFile);
        try
        {
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"the ledger directory {directory} ({key}) is not writable: {ex.Message}";
        }
    }
}
