using System.CommandLine;
using Akka.Configuration;
using GossipActors.Boundary;
using GossipActors.Configuration;
using GossipActors.Crypto;
using GossipActors.Logging;
using GossipActors.Ordering;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node orderer --config FILE [--check]</c>: runs the solo ordering node (hosted: docs/hosting.md), with mutual
/// TLS from orderer.General.TLS.* (a warning on stderr when it is off), until SIGINT/SIGTERM, or until its stdin closes
/// when GOSSIP_STOP_ON_STDIN_EOF=1.
/// Exit codes: 0 stopped cleanly (or config valid with --check), 2 invalid configuration, 3 crypto material missing or unreadable.
/// </summary>
internal static class OrdererCommand
{
    public const int Ok = NodeStartup.Ok;
    public const int InvalidConfiguration = NodeStartup.InvalidConfiguration;
    public const int BadCryptoMaterial = NodeStartup.BadCryptoMaterial;

    public static Command Create()
    {
        var configFile = new Option<string>("--config") { Description = "The orderer's HOCON file (see hocon/orderer.conf).", Required = true };
        var check = new Option<bool>("--check") { Description = "Validate the configuration and crypto material, then exit." };
        var command = new Command("orderer", "Run the solo ordering node.") { configFile, check };
        command.SetAction(async (parse, cancellation) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(configFile)!;
            var variables = NodeStartup.ProcessEnvironment();
            var startup = new NodeStartup(stderr, variables);
            OrdererSettings settings;
            Config config;
            NodeLogging logging;
            try
            {
                config = ConfigurationFactory.ParseString(File.ReadAllText(path)).WithFallback(ReferenceConfig.Load());
                settings = OrdererSettings.FromConfig(config);
                logging = NodeLogging.From(config, variables);
            }
            catch (SettingsException ex)
            {
                await stderr.WriteLineAsync("invalid configuration: " + ex.Message);
                return InvalidConfiguration;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigurationException)
            {
                await stderr.WriteLineAsync($"cannot read {path}: {ex.Message}");
                return InvalidConfiguration;
            }

            NodeIdentity identity;
            CertificateVerifier certificates;
            try
            {
                var crypto = NodeDirectory.Open(settings.LocalMspDir);
                identity = crypto.LoadIdentity(settings.LocalMspId, settings.Id);
                certificates = new CertificateVerifier(crypto.TrustedCas());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
            {
                await stderr.WriteLineAsync($"orderer.General.LocalMSPDir = \"{settings.LocalMspDir}\": cannot load {settings.Id} of {settings.LocalMspId}: {ex.Message}");
                return BadCryptoMaterial;
            }
            if (identity.Role != Protocol.Wire.NodeRole.Orderer)
            {
                await stderr.WriteLineAsync($"orderer.General.Id = \"{settings.Id}\": {identity} is not an orderer certificate; peers would refuse its blocks");
                return BadCryptoMaterial;
            }

            if (settings.OperationsEnabled
                && await startup.CheckListenersAsync(() => ListenerCheck.EnsureFree("orderer.Operations.ListenAddress", settings.OperationsListenAddress)) is { } opsInUse)
            {
                return opsInUse;
            }
            if (await startup.LoadTlsAsync(settings.Tls.Enabled, () => TlsMaterial.LoadOrderer(settings.Tls, settings.LocalMspDir),
                    "warning: orderer.General.TLS.Enabled = false: the orderer accepts plain TCP from anyone who reaches its port; for local experiments only.") is { } badTls)
            {
                return badTls;
            }
            var tls = startup.Tls;
            if (await startup.CheckListenersAsync(() => ListenerCheck.EnsureFree("orderer.General.ListenPort", settings.Endpoint)) is { } inUse)
            {
                return inUse;
            }

            if (parse.GetValue(check))
            {
                await stdout.WriteLineAsync($"configuration valid: {settings.Id} of {settings.LocalMspId} at {settings.Endpoint}, channels {string.Join(", ", settings.Channels.Keys)}, TLS {startup.TlsState}");
                tls?.Dispose();
                return Ok;
            }

            OrdererNode node = null!;
            if (await startup.ListenAsync(async () => node = await OrdererNode.StartAsync(settings, config, identity, certificates, TimeProvider.System, logging, tls)) is { } startFailed)
            {
                return startFailed;
            }
            await using (node)
            {
                if (await startup.ListenAsync(() => node.StartOperationsAsync(logging?.Switch)) is { } operationsFailed)
                {
                    return operationsFailed;
                }
                await stdout.WriteLineAsync($"orderer {settings.Id} of {settings.LocalMspId} listening at {node.Endpoint} ({OrdererNode.ActorPath(node.Endpoint, BoundaryConfig.Protocol(config, tls is not null))}), TLS {startup.TlsState}, "
                    + $"channels {string.Join(", ", settings.Channels.Keys)}, ledger {Path.GetFullPath(settings.FileLedgerLocation)}"
                    + (node.Operations is { } ops ? $", operations at {ops.BaseAddress}" : ""));
                await startup.ServeUntilStopRequestedAsync(node.Lifetime, node.StopRequested, cancellation);
            }
            await stdout.WriteLineAsync($"orderer {settings.Id} stopped");
            return Ok;
        });
        return command;
    }
}
