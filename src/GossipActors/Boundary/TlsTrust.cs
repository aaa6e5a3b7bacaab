using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;
using GossipActors.Crypto;

namespace GossipActors.Boundary;

/// <summary>
/// Mutual TLS for a listener and its outbound connections (Akka.Remote's DotNetty transport): this node presents its
/// certificate on both sides, and accepts a peer's certificate only if one of the given CAs issued it, checked with
/// a chain built on those CAs alone (the system store plays no part; host names are not checked, identity comes from
/// signed messages). A rejected certificate ends the connection in the TLS handshake, before any Akka frame; it is
/// counted by reason in the given <see cref="BoundaryRefusals"/> (the system's, through its setup).
/// </summary>
public static class TlsTrust
{
    /// <summary>The setup to pass in the ActorSystemSetup; <paramref name="acceptedCas"/> decides who may connect.</summary>
    /// <param name="refusals">Counts refused handshakes; pass the same instance's <see cref="BoundaryRefusals.Setup"/> in
    /// the ActorSystemSetup so it is the system's. Null = not counted (clients such as submit).</param>
    public static DotNettySslSetup Setup(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> acceptedCas, string listener,
        BoundaryRefusals? refusals = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (acceptedCas.Count == 0)
        {
            throw new ArgumentException($"{listener}: no TLS CA to accept connections from.", nameof(acceptedCas));
        }
        var cas = acceptedCas.ToArray();
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true,
            (peerCertificate, _, remotePeer, errors, log) => Validate(peerCertificate, cas, remotePeer, errors, log, listener, refusals));
    }

    /// <summary>Whether one of <paramref name="cas"/> issued <paramref name="certificate"/> (directly), now valid.</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> cas, out string reason)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas.ToArray());
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(certificate))
        {
            reason = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("chain not valid"));
            return false;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!cas.Any(ca => ca.RawDataMemory.Span.SequenceEqual(root.RawDataMemory.Span)))
        {
            reason = $"its chain ends at '{root.Subject}', which is not an accepted CA";
            return false;
        }
        reason = "";
        return true;
    }

    private static bool Validate(X509Certificate2? certificate, X509Certificate2[] cas, string? remotePeer, SslPolicyErrors errors,
        ILoggingAdapter? log, string listener, BoundaryRefusals? refusals)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            refusals?.TlsRefused(TlsRefusal.NoCertificate);
            log?.Warning("{Listener}: refused a TLS connection with {Remote}: no certificate presented", listener, remotePeer);
            return false;
        }
        if (!IsIssuedBy(certificate, cas, out var reason))
        {
            refusals?.TlsRefused(TlsRefusal.UnknownCa);
            log?.Warning("{Listener}: refused the TLS certificate {Subject} (organisation {Org}) of {Remote}: {Reason}", listener, certificate.Subject,
                TlsCertificateAuthority.Organisation(certificate), remotePeer, reason);
            return false;
        }
        return true;
    }
}
