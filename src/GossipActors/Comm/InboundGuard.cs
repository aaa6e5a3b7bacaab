using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>
/// The guard ladder every inbound envelope climbs before any core sees it:
/// size → decode → identity (certificate from a trusted org, PKI-ID and org consistent) → signature → freshness.
/// Messages that carry their own identity (alive, handshake, peer identity) are checked against it; signed
/// statements about a peer (state info, leadership) against that peer's known identity, and only for a channel we
/// joined; connection-level kinds (data, digests, pull, state transfer, membership response, acknowledgements) are
/// taken only under a session MAC, and their sender is the session's peer (comm has verified the MAC before). Blocks
/// inside data messages are verified later by the channel (orderer signature). Total: no input makes it throw.
/// </summary>
public sealed class InboundGuard(CertificateVerifier certificates, IdentityStore identities, int maxMessageSize,
    Predicate<string>? joinedChannel = null)
{
    private readonly FreshnessGate _freshness = new();

    public IdentityStore Identities => identities;

    /// <summary>(kind, channel, peer) versions held: bounded by the identities, the kinds and the joined channels.</summary>
    public int FreshnessEntries => _freshness.Count;

    public void Forget(PkiId peer)
    {
        identities.Remove(peer);
        _freshness.Forget(peer);
    }

    /// <param name="connectionPeer">The peer whose session MAC authenticated the envelope, if one did.</param>
    public GuardVerdict Check(SignedEnvelope envelope, PeerIdentityInfo? connectionPeer, DateTimeOffset now)
    {
        var claimed = connectionPeer?.ToString() ?? "unbound connection";
        var size = envelope.CalculateSize();
        if (size > maxMessageSize)
        {
            return new GuardVerdict.Rejected(Rejection.Oversize, $"envelope is {size} bytes, the maximum is {maxMessageSize}", claimed);
        }
        if (!EnvelopeCodec.TryParsePayload(envelope, out var message, out var error))
        {
            return new GuardVerdict.Rejected(Rejection.Malformed, error!, claimed);
        }
        return message!.ContentCase switch
        {
            Kind.AliveMsg when message.AliveMsg.Identity.IsEmpty => CheckAliveWithoutCertificate(envelope, message, now),
            Kind.AliveMsg => CheckSelfIdentified(envelope, message, message.AliveMsg.Identity ?? ByteString.Empty,
                message.AliveMsg.Membership?.PkiId, message.AliveMsg.Membership?.Org ?? "", message.AliveMsg.Timestamp, now),
            Kind.Conn => CheckSelfIdentified(envelope, message, message.Conn.Identity, message.Conn.PkiId, null, null, now),
            Kind.PeerIdentity => CheckSelfIdentified(envelope, message, message.PeerIdentity.Cert, message.PeerIdentity.PkiId, null, null, now),
            Kind.MemReq => CheckMembershipRequest(envelope, message, connectionPeer, now),
            Kind.StateInfo or Kind.LeadershipMsg when joinedChannel is not null && !joinedChannel(message.Channel) =>
                new GuardVerdict.Rejected(Rejection.UnknownChannel, $"{message.ContentCase} for channel '{Printable(message.Channel)}', not joined here", claimed),
            Kind.StateInfo => CheckStatement(envelope, message, message.StateInfo.PkiId, message.StateInfo.Timestamp, now),
            Kind.LeadershipMsg => CheckStatement(envelope, message, message.LeadershipMsg.PkiId, message.LeadershipMsg.Timestamp, now),
            _ => CheckConnectionLevel(message, connectionPeer, now),
        };
    }

    private GuardVerdict CheckSelfIdentified(SignedEnvelope envelope, GossipMessage message, ByteString identity,
        ByteString? claimedPkiId, string? claimedOrg, PeerTime? time, DateTimeOffset now)
    {
        var claimed = claimedPkiId is { Length: PkiId.Length } ? PkiId.FromByteString(claimedPkiId).ToString() : "no PKI-ID";
        var check = certificates.Verify(identity, now);
        if (!check.IsValid)
        {
            return new GuardVerdict.Rejected(Rejection.BadCertificate, $"{check.Reason}: {check.Detail}", claimed);
        }
        var sender = PeerIdentityInfo.From(check.Certificate!);
        if (claimedPkiId is null || !sender.PkiId.Span.SequenceEqual(claimedPkiId.Span))
        {
            return new GuardVerdict.Rejected(Rejection.PkiIdMismatch,
                $"claims PKI-ID {claimed} but carries the certificate of {sender}", claimed);
        }
        if (claimedOrg is not null && claimedOrg != sender.MspId)
        {
            return new GuardVerdict.Rejected(Rejection.OrgMismatch, $"claims org {claimedOrg} but its certificate is of {sender.MspId}", sender.ToString());
        }
        if (!EnvelopeCodec.VerifySignature(envelope, sender.Certificate.PublicKey))
        {
            return new GuardVerdict.Rejected(Rejection.BadSignature, "signature does not verify with its own certificate", sender.ToString());
        }
        if (time is not null && Freshness(message, sender, time) is { } notFresh)
        {
            return notFresh;
        }
        if (identities.Learn(sender) is { } evicted)
        {
            _freshness.Forget(evicted);
        }
        return new GuardVerdict.Accepted(sender, message);
    }

    private GuardVerdict CheckMembershipRequest(SignedEnvelope envelope, GossipMessage message, PeerIdentityInfo? connectionPeer, DateTimeOffset now)
    {
        var inner = message.MemReq.SelfInformation;
        if (inner is null)
        {
            return new GuardVerdict.Rejected(Rejection.Malformed, "membership request without the requester's alive message", connectionPeer?.ToString() ?? "unbound connection");
        }
        // The embedded alive must be valid on its own and be the requester's own: the outer envelope is signed
        // with the same key, and the connection (if bound) belongs to the same peer.
        var innerVerdict = Check(inner, connectionPeer, now);
        PeerIdentityInfo requester;
        switch (innerVerdict)
        {
            case GuardVerdict.Accepted { Message.ContentCase: Kind.AliveMsg } accepted:
                requester = accepted.Sender;
                break;
            case GuardVerdict.Duplicate duplicate:
                requester = duplicate.Sender;
                break;
            case GuardVerdict.Rejected rejected:
                return rejected with { Detail = "embedded alive message: " + rejected.Detail };
            default:
                return new GuardVerdict.Rejected(Rejection.Malformed, "membership request embeds something other than an alive message", connectionPeer?.ToString() ?? "unbound connection");
        }
        if (!EnvelopeCodec.VerifySignature(envelope, requester.Certificate.PublicKey)
            || (connectionPeer is not null && connectionPeer.PkiId != requester.PkiId))
        {
            return new GuardVerdict.Rejected(Rejection.SpoofedMembershipRequest,
                $"embeds the alive message of {requester} but was not sent by it", connectionPeer?.ToString() ?? "unbound connection");
        }
        return new GuardVerdict.Accepted(requester, message);
    }

    /// <summary>
    /// An alive message sent after its peer's publishCertPeriod carries no certificate: it is verified with the identity
    /// learned before (handshake, an earlier alive, a peer identity message), or refused as from an unknown identity.
    /// </summary>
    private GuardVerdict CheckAliveWithoutCertificate(SignedEnvelope envelope, GossipMessage message, DateTimeOffset now)
    {
        var alive = message.AliveMsg;
        var claimedOrg = alive.Membership?.Org;
        return CheckStatement(envelope, message, alive.Membership?.PkiId ?? ByteString.Empty, alive.Timestamp, now,
            sender => claimedOrg is { Length: > 0 } && claimedOrg != sender.MspId
                ? new GuardVerdict.Rejected(Rejection.OrgMismatch, $"claims org {claimedOrg} but its certificate is of {sender.MspId}", sender.ToString())
                : null);
    }

    private GuardVerdict CheckStatement(SignedEnvelope envelope, GossipMessage message, ByteString pkiId, PeerTime? time, DateTimeOffset now,
        Func<PeerIdentityInfo, GuardVerdict.Rejected?>? extraCheck = null)
    {
        if (!PkiId.TryFromBytes(pkiId.Span, out var id))
        {
            return new GuardVerdict.Rejected(Rejection.Malformed, "statement without a valid PKI-ID", "no PKI-ID");
        }
        if (!identities.TryGet(id, out var sender))
        {
            return new GuardVerdict.Rejected(Rejection.UnknownIdentity, "statement by a peer whose identity we have not verified", id.ToString());
        }
        if (sender.Certificate.NotAfter <= now)
        {
            identities.Remove(id);
            return new GuardVerdict.Rejected(Rejection.BadCertificate, "Expired: the signer's certificate has expired", sender.ToString());
        }
        if (!EnvelopeCodec.VerifySignature(envelope, sender.Certificate.PublicKey))
        {
            return new GuardVerdict.Rejected(Rejection.BadSignature, "signature does not verify with the signer's certificate", sender.ToString());
        }
        if (extraCheck?.Invoke(sender) is { } refused)
        {
            return refused;
        }
        return Freshness(message, sender, time) ?? new GuardVerdict.Accepted(sender, message);
    }

    private static GuardVerdict CheckConnectionLevel(GossipMessage message, PeerIdentityInfo? sessionPeer, DateTimeOffset now)
    {
        if (sessionPeer is null)
        {
            return new GuardVerdict.Rejected(Rejection.NoHandshake, $"{message.ContentCase} without a valid session MAC", "unauthenticated sender");
        }
        if (sessionPeer.Certificate.NotAfter <= now)
        {
            return new GuardVerdict.Rejected(Rejection.BadCertificate, "Expired: the session's certificate has expired", sessionPeer.ToString());
        }
        return new GuardVerdict.Accepted(sessionPeer, message);
    }

    private GuardVerdict? Freshness(GossipMessage message, PeerIdentityInfo sender, PeerTime? time) =>
        // Alive messages are not per channel: their versions are kept under "" whatever channel the sender wrote.
        _freshness.Check(message.ContentCase, message.ContentCase == Kind.AliveMsg ? "" : message.Channel, sender.PkiId, time) switch
        {
            FreshnessGate.Verdict.Stale => new GuardVerdict.Rejected(Rejection.Stale,
                $"{message.ContentCase} ({time?.IncNum}, {time?.SeqNum}) is older than one already accepted", sender.ToString()),
            FreshnessGate.Verdict.Duplicate => new GuardVerdict.Duplicate(sender),
            _ => null,
        };

    /// <summary>A sender-chosen string as it may appear in a log line: bounded, without control characters.</summary>
    internal static string Printable(string text)
    {
        var head = text.Length > 64 ? text[..64] + "..." : text;
        return string.Create(head.Length, head, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
