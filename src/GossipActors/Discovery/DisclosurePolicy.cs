namespace GossipActors.Discovery;

/// <summary>
/// Who may be told about whom, as Fabric's gossip decides it (its disclosure policy for membership responses, and its
/// routing of forwarded alive messages). We are a peer of org O telling a peer of org R about a peer of org X:
/// <list type="bullet">
/// <item>X = R: always (a peer may hear of its own org's peers);</item>
/// <item>X = O ≠ R: only when both the peer told about and the peer told have an external endpoint;</item>
/// <item>X a third org (neither O nor R): never;</item>
/// <item>forwarding only: a peer of our own org (R = O) with an external endpoint also hears of other orgs' peers
/// (Fabric forwards an alive of org X to X's peers and to its own org's peers that can reach other orgs).</item>
/// </list>
/// The secret part (internal endpoint) goes only to peers of the record's own org: <see cref="ScopedFor"/>.
/// </summary>
public static class DisclosurePolicy
{
    /// <summary>May a peer of <paramref name="targetOrg"/> be told about <paramref name="record"/> in a membership response?</summary>
    /// <param name="selfOrg">Our org (O), the org of the peer that tells.</param>
    /// <param name="targetHasExternalEndpoint">Whether the peer told has an external endpoint.</param>
    public static bool MayDisclose(AliveRecord record, string selfOrg, string targetOrg, bool targetHasExternalEndpoint)
    {
        if (string.Equals(record.Org, targetOrg, StringComparison.Ordinal))
        {
            return true;
        }
        if (!string.Equals(record.Org, selfOrg, StringComparison.Ordinal))
        {
            return false; // a third org's peer
        }
        return record.ExternalEndpoint.Length > 0 && targetHasExternalEndpoint;
    }

    /// <summary>May <paramref name="record"/> be forwarded (infect-and-die) to a peer of <paramref name="targetOrg"/>?</summary>
    public static bool MayForward(AliveRecord record, string selfOrg, string targetOrg, bool targetHasExternalEndpoint) =>
        MayDisclose(record, selfOrg, targetOrg, targetHasExternalEndpoint)
        || (string.Equals(targetOrg, selfOrg, StringComparison.Ordinal) && targetHasExternalEndpoint);

    /// <summary><paramref name="record"/> as a peer of <paramref name="targetOrg"/> may see it: the internal endpoint only within its org.</summary>
    public static AliveRecord ScopedFor(AliveRecord record, string targetOrg) =>
        string.Equals(record.Org, targetOrg, StringComparison.Ordinal) ? record : record.WithoutInternalEndpoint();
}
