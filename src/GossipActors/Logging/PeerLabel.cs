using GossipActors.Crypto;

namespace GossipActors.Logging;

/// <summary>
/// How logs name a peer, everywhere: <c>name@Org (short PKI-ID)</c>, e.g. <c>peer1.org1@Org1 (3fa4c1d2aa00bb11)</c>,
/// the short PKI-ID being the first 8 bytes in hex (as /status and `status` show it). A peer whose certificate name is
/// not known here (known only by a relayed alive or a leadership message) is <c>?@Org (…)</c>.
/// </summary>
public static class PeerLabel
{
    public static string Of(string name, string org, PkiId pkiId) =>
        $"{(string.IsNullOrEmpty(name) ? "?" : name)}@{(string.IsNullOrEmpty(org) ? "?" : org)} ({pkiId})";
}
