using GossipActors.Crypto;

namespace GossipActors.Discovery;

/// <summary>
/// One verified alive message, as the membership core sees it. The comm layer has already checked the signature,
/// the certificate and the org before building it; the core never looks inside <see cref="Envelope"/>.
/// </summary>
/// <param name="PkiId">The peer the message is about (and signed by).</param>
/// <param name="Org">The MSP id of the peer's certificate.</param>
/// <param name="ExternalEndpoint">Where other orgs reach the peer; empty = invisible to other orgs.</param>
/// <param name="InternalEndpoint">Where the peer's own org reaches it; never disclosed to other orgs.</param>
/// <param name="CertificateNotAfter">End of the certificate's validity: the peer is removed once it has passed.</param>
/// <param name="Envelope">The signed envelope the shell forwards as received (bytes, never re-encoded); opaque here.</param>
/// <param name="Name">The name in the peer's certificate, for logs only ("" when not known).</param>
public sealed record AliveRecord(
    PkiId PkiId,
    string Org,
    string ExternalEndpoint,
    string InternalEndpoint,
    ulong Incarnation,
    ulong Sequence,
    DateTimeOffset CertificateNotAfter,
    object? Envelope = null,
    string Name = "")
{
    /// <summary>How logs name this peer: name@Org (short PKI-ID).</summary>
    public string Label => Logging.PeerLabel.Of(Name, Org, PkiId);

    public PeerTime Time => new(Incarnation, Sequence);

    /// <summary>Peers of <paramref name="org"/> may learn about this peer: same org, or it has an external endpoint.</summary>
    public bool IsVisibleTo(string org) => string.Equals(Org, org, StringComparison.Ordinal) || ExternalEndpoint.Length > 0;

    /// <summary>The endpoint a peer of <paramref name="org"/> should use; empty when this peer is invisible to it.</summary>
    public string EndpointFor(string org) =>
        string.Equals(Org, org, StringComparison.Ordinal)
            ? (InternalEndpoint.Length > 0 ? InternalEndpoint : ExternalEndpoint)
            : ExternalEndpoint;

    /// <summary>This record as another org may see it: the internal endpoint removed.</summary>
    public AliveRecord WithoutInternalEndpoint() => InternalEndpoint.Length == 0 ? this : this with { InternalEndpoint = "" };

    public bool HasEndpoint(string endpoint) =>
        endpoint.Length > 0 && (string.Equals(ExternalEndpoint, endpoint, StringComparison.Ordinal)
                                || string.Equals(InternalEndpoint, endpoint, StringComparison.Ordinal));
}
