using System.CommandLine;
using GossipActors.Crypto;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node cryptogen --orgs Org1,Org2 --peers-per-org 2 --orderer-org OrdererOrg --out DIR [--validity-days 365]</c>:
/// writes CAs, peer and orderer certificates and keys (layout in docs/crypto.md). Never overwrites keys.
/// Exit codes: 0 written, 2 bad arguments, 3 material already exists, 4 I/O failure.
/// </summary>
internal static class CryptogenCommand
{
    public const int Ok = 0;
    public const int BadArguments = 2;
    public const int AlreadyExists = 3;
    public const int IoFailure = 4;

    public static Command Create() => Create(TimeProvider.System);

    public static Command Create(TimeProvider time)
    {
        var orgs = new Option<string>("--orgs") { Description = "Comma-separated peer organisations; each name is also its MSP id (e.g. Org1,Org2).", Required = true };
        var peers = new Option<int>("--peers-per-org") { Description = "Peers per organisation (named peer0.<org>, peer1.<org>, ...).", DefaultValueFactory = _ => 2 };
        var ordererOrg = new Option<string>("--orderer-org") { Description = "The orderer organisation (gets orderer0.<org>).", DefaultValueFactory = _ => "OrdererOrg" };
        var output = new Option<string>("--out") { Description = "Output directory (created if absent; existing keys are never overwritten).", Required = true };
        var validityDays = new Option<int>("--validity-days") { Description = "Certificate validity in days, from now.", DefaultValueFactory = _ => 365 };

        var command = new Command("cryptogen", "Generate CA, peer and orderer certificates and Ed25519 keys.")
        {
            orgs, peers, ordererOrg, output, validityDays,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var orgList = (parse.GetValue(orgs) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var days = parse.GetValue(validityDays);
            var peerCount = parse.GetValue(peers);
            if (orgList.Length == 0)
            {
                return Fail(stderr, BadArguments, "--orgs: give at least one organisation, e.g. --orgs Org1,Org2.");
            }
            if (peerCount < 1)
            {
                return Fail(stderr, BadArguments, $"--peers-per-org: {peerCount} is not allowed; give 1 or more.");
            }
            if (days < 1)
            {
                return Fail(stderr, BadArguments, $"--validity-days: {days} is not allowed; give 1 or more.");
            }
            try
            {
                var material = CryptoMaterialGenerator.Generate(parse.GetValue(output)!, orgList, peerCount, parse.GetValue(ordererOrg)!,
                    time.GetUtcNow(), TimeSpan.FromDays(days));
                stdout.WriteLine($"cryptogen: wrote {material.Files.Count} files to {material.Directory}");
                foreach (var file in material.Files)
                {
                    stdout.WriteLine("  " + Path.GetRelativePath(material.Directory, file));
                }
                foreach (var (mspId, name, role) in material.Nodes)
                {
                    stdout.WriteLine($"node {name} ({role}) of {mspId}");
                }
                return Ok;
            }
            catch (CryptoMaterialExistsException ex)
            {
                return Fail(stderr, AlreadyExists, ex.Message);
            }
            catch (ArgumentException ex)
            {
                return Fail(stderr, BadArguments, ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(stderr, IoFailure, ex.Message);
            }
        });
        return command;
    }

    private static int Fail(TextWriter stderr, int code, string message)
    {
        stderr.WriteLine("cryptogen: " + message);
        return code;
    }
}
