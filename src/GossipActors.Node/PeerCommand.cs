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
    public const int Ok = NodeStartup.Ok;
    public const int InvalidConfiguration = NodeStartup.InvalidConfiguration;
    public const int BadCryptoMaterial = NodeStartup.BadCryptoMaterial;

    public static Command Create() => Create(NodeStartup.ProcessEnvironment);

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
            var startup = new NodeStartup(stderr, variables);
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

            if (await startup.LoadTlsAsync(settings.Tls.Enabled, () => TlsMaterial.Load(settings.Tls, settings.MspConfigPath),
                    "warning: peer.tls.enabled = false: every listener accepts plain TCP from anyone who reaches it; for local experiments only.") is { } badTls)
            {
                return badTls;
            }
            var tls = startup.Tls;
            if (await startup.CheckListenersAsync(() => PeerNode.CheckListeners(settings)) is { } inUse)
            {
                return inUse;
            }

            var notices = ConfigNotices.For(config, variables);
            if (parse.GetValue(check))
            {
                await stdout.WriteLineAsync($"configuration valid: {settings.Id} of {settings.LocalMspId} at {settings.Gossip.Endpoint}, PKI-ID {identity.PkiId.ToHex()}, TLS {startup.TlsState}");
                foreach (var notice in notices)
                {
                    await stdout.WriteLineAsync(notice.ToString());
                }
                return Ok;
            }

            PeerNode node = null!;
            if (await startup.ListenAsync(async () => node = await PeerNode.StartAsync(new PeerLaunch(settings, config, identity, certificates, TimeProvider.System, tls, logging))) is { } startFailed)
            {
                return startFailed;
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
                if (await startup.ListenAsync(() => node.StartOperationsAsync()) is { } operationsFailed)
                {
                    return operationsFailed;
                }
                await stdout.WriteLineAsync($"peer {settings.Id} of {settings.LocalMspId} listening at {settings.Address}, gossip endpoint {settings.Gossip.Endpoint}, PKI-ID {identity.PkiId.ToHex()}"
                    + (node.OrgSystem is not null ? $", org cluster at {settings.OrgCluster.Address}" : "")
                    + (node.Operations is { } ops ? $", operations at {ops.BaseAddress}" : "")
                    + $", TLS {startup.TlsState}");
                await startup.ServeUntilStopRequestedAsync(node.Lifetime, node.StopRequested, cancellation);
            }
            await stdout.WriteLineAsync($"peer {settings.Id} stopped");
            return Ok;
        });
        return command;
    }
}
