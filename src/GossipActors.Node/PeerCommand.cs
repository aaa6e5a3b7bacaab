using System.Collections;
using System.CommandLine;
using Akka.Event;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Hosting;
using GossipActors.Logging;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node peer --config FILE [--check]</c>: runs a peer (hosted: docs/hosting.md) until SIGINT/SIGTERM,
/// or until its stdin closes when GOSSIP_STOP_ON_STDIN_EOF=1 (a launcher's children never outlive it).
/// CORE_PEER_* environment variables override the file. Exit codes: 0 stopped cleanly (or config valid with
/// --check), 2 invalid configuration or a listener's port already in use, 3 crypto material (identity or TLS) missing
/// or unreadable.
/// </summary>
internal static class PeerCommand
{
    public const int Ok = 0;
    public const int InvalidConfiguration = 2;
    public const int BadCryptoMaterial = 3;

    public static Command Create() => Create(() => ProcessEnvironment());

    public static Command Create(Func<IReadOnlyDictionary<string, string>> environment)
    {
        var configFile = new Option<string>("--config") { Description = "The peer's HOCON file (see hocon/).", Required = true };
        var check = new Option<bool>("--check") { Description = "Validate the configuration and crypto material, then exit." };
        var command = new Command("peer", "Run a gossip peer.") { configFile, check };
        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            PeerSettings settings;
            Akka.Configuration.Config config;
            NodeLogging logging;
            var variables = environment();
            try
            {
                config = PeerConfig.LoadFile(parse.GetValue(configFile)!, variables);
                settings = PeerSettings.FromConfig(config);
                logging = NodeLogging.From(config, variables);
            }
            catch (SettingsException ex)
            {
                await stderr.WriteLineAsync("invalid configuration: " + ex.Message);
                return InvalidConfiguration;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Akka.Configuration.ConfigurationException)
            {
                await stderr.WriteLineAsync($"cannot read {parse.GetValue(configFile)}: {ex.Message}");
                return InvalidConfiguration;
            }

            NodeIdentity identity;
            CertificateVerifier certificates;
            try
            {
                var crypto = NodeDirectory.Open(settings.MspConfigPath);
                identity = crypto.LoadIdentity(settings.LocalMspId, settings.Id);
                certificates = new CertificateVerifier(crypto.TrustedCas());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"peer.mspConfigPath = \"{settings.MspConfigPath}\": cannot load {settings.Id} of {settings.LocalMspId}: {ex.Message}");
                return BadCryptoMaterial;
            }

            TlsMaterial? tls = null;
            if (settings.Tls.Enabled)
            {
                try
                {
                    tls = TlsMaterial.Load(settings.Tls, settings.MspConfigPath);
                }
                catch (InvalidDataException ex)
                {
                    await stderr.WriteLineAsync("TLS material: " + ex.Message);
                    return BadCryptoMaterial;
                }
            }
            else
            {
                await stderr.WriteLineAsync("warning: peer.tls.enabled = false: every listener accepts plain TCP from anyone who reaches it; for local experiments only.");
            }

            try
            {
                PeerNode.CheckListeners(settings);
            }
            catch (ListenerInUseException ex)
            {
                await stderr.WriteLineAsync(ex.Message);
                return InvalidConfiguration;
            }

            var notices = ConfigNotices.For(config, variables);
            if (parse.GetValue(check))
            {
                await stdout.WriteLineAsync($"configuration valid: {settings.Id} of {settings.LocalMspId} at {settings.Gossip.Endpoint}, PKI-ID {identity.PkiId.ToHex()}, TLS {(tls is null ? "off" : "on")}");
                foreach (var notice in notices)
                {
                    await stdout.WriteLineAsync(notice.ToString());
                }
                return Ok;
            }

            PeerNode node;
            try
            {
                node = await PeerNode.StartAsync(new PeerLaunch(settings, config, identity, certificates, TimeProvider.System, tls, logging));
            }
            catch (ListenerInUseException ex)
            {
                await stderr.WriteLineAsync(ex.Message);
                return InvalidConfiguration;
            }
            await using (node)
            {
                foreach (var notice in notices)
                {
                    if (notice.IsWarning)
                    {
                        node.System.Log.Warning("Configuration: {0}", notice.Text);
                    }
                    else
                    {
                        node.System.Log.Info("Configuration: {0}", notice.Text);
                    }
                }
                try
                {
                    await node.StartOperationsAsync();
                }
                catch (ListenerInUseException ex)
                {
                    await stderr.WriteLineAsync(ex.Message);
                    return InvalidConfiguration;
                }
                await stdout.WriteLineAsync($"peer {settings.Id} of {settings.LocalMspId} listening at {settings.Address}, gossip endpoint {settings.Gossip.Endpoint}, PKI-ID {identity.PkiId.ToHex()}"
                    + (node.OrgSystem is not null ? $", org cluster at {settings.OrgCluster.Address}" : "")
                    + (node.Operations is { } ops ? $", operations at {ops.BaseAddress}" : "")
                    + $", TLS {(tls is null ? "off" : "on")}");
                var stopRequested = node.StopRequested;
                // Ctrl-C and SIGTERM cancel this token (System.CommandLine); the host then stops gracefully.
                using var signalled = cancellation.Register(() => node.Lifetime.StopApplication());
                if (LauncherWatch.Requested(variables))
                {
                    LauncherWatch.Start(Console.OpenStandardInput(), () => node.Lifetime.StopApplication());
                }
                await stopRequested;
            }
            await stdout.WriteLineAsync($"peer {settings.Id} stopped");
            return Ok;
        });
        return command;
    }

    private static Dictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);
}
