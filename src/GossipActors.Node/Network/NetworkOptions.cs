using System.Text.RegularExpressions;

namespace GossipActors.Node.Network;

/// <summary>How peers of an org find their leader on the channel: elected, or peer0 fixed as the leader.</summary>
internal enum ElectionMode
{
    Dynamic,
    Static,
}

/// <summary>
/// What <c>gossip-node network init</c> builds: <see cref="Orgs"/> peer organisations (Org1, Org2, ...) of
/// <see cref="PeersPerOrg"/> peers each, one solo orderer of <see cref="OrdererOrg"/>, all on one channel.
/// </summary>
internal sealed partial record NetworkOptions(
    int Orgs = 2,
    int PeersPerOrg = 3,
    string Channel = "ch1",
    ElectionMode Election = ElectionMode.Dynamic,
    bool Tls = true,
    string OrdererOrg = "OrdererOrg")
{
    /// <summary>The peer organisations' names (also their MSP ids): Org1 .. OrgN.</summary>
    public IReadOnlyList<string> OrgNames => [.. Enumerable.Range(1, Orgs).Select(i => $"Org{i}")];

    /// <summary>Each problem with these options, naming the option, the value and what is allowed; empty = valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Orgs is < 1 or > 50)
        {
            problems.Add($"--orgs: {Orgs} is not allowed; give 1 to 50.");
        }
        if (PeersPerOrg is < 1 or > 50)
        {
            problems.Add($"--peers-per-org: {PeersPerOrg} is not allowed; give 1 to 50.");
        }
        if (!ChannelName().IsMatch(Channel))
        {
            problems.Add($"--channel: \"{Channel}\" is not allowed; use lower-case letters, digits, '.' or '-', starting with a letter.");
        }
        return problems;
    }

    [GeneratedRegex("^[a-z][a-z0-9.-]{0,248}$")]
    private static partial Regex ChannelName();
}
