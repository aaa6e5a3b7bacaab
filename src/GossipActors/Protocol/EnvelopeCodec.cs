using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Protocol;

/// <summary>
/// Signs gossip messages into envelopes and opens envelopes received from the wire.
/// The signature covers the exact payload bytes; a forwarder passes the envelope on unchanged.
/// </summary>
public static class EnvelopeCodec
{
    /// <summary>Serializes the message once and signs those bytes. The fresh arrays are wrapped, not copied:
    /// nothing else holds them, so the envelope's bytes stay immutable.</summary>
    public static SignedEnvelope Sign(GossipMessage message, SigningKey key)
    {
        var payload = message.ToByteArray();
        return new SignedEnvelope
        {
            Payload = UnsafeByteOperations.UnsafeWrap(payload),
            Signature = UnsafeByteOperations.UnsafeWrap(key.Sign(payload)),
        };
    }

    /// <summary>An unsigned envelope, for data messages whose block carries the orderer's signature.</summary>
    public static SignedEnvelope Unsigned(GossipMessage message) => new() { Payload = message.ToByteString() };

    /// <summary>An unsigned envelope around an encoded payload, wrapped, not copied: the caller hands the array over.</summary>
    public static SignedEnvelope Unsigned(byte[] payload) => new() { Payload = UnsafeByteOperations.UnsafeWrap(payload) };

    /// <summary>Attaches the org-internal secret part (the internal endpoint), signed on its own.</summary>
    public static SignedEnvelope WithSecret(SignedEnvelope envelope, string internalEndpoint, SigningKey key)
    {
        var secret = new Secret { InternalEndpoint = internalEndpoint }.ToByteArray();
        var copy = envelope.Clone();
        copy.SecretEnvelope = new SecretEnvelope
        {
            Payload = UnsafeByteOperations.UnsafeWrap(secret),
            Signature = UnsafeByteOperations.UnsafeWrap(key.Sign(secret)),
        };
        return copy;
    }

    /// <summary>The envelope as it may cross to another organisation: the secret part removed, the signature intact.</summary>
    public static SignedEnvelope WithoutSecret(SignedEnvelope envelope)
    {
        if (envelope.SecretEnvelope is null)
        {
            return envelope;
        }
        var copy = envelope.Clone();
        copy.SecretEnvelope = null;
        return copy;
    }

    /// <summary>Verifies over the envelope's payload bytes in place (no copy); the key is imported once by its owner.</summary>
    public static bool VerifySignature(SignedEnvelope envelope, VerificationKey key) =>
        key.Verify(envelope.Payload.Span, envelope.Signature.Span);

    /// <summary>
    /// The internal endpoint, if the secret part is present, signed by the same key and well formed; null otherwise.
    /// Total: a validly signed but malformed secret is no endpoint, never an exception.
    /// </summary>
    public static string? InternalEndpoint(SignedEnvelope envelope, VerificationKey key)
    {
        var secret = envelope.SecretEnvelope;
        if (secret is null || !key.Verify(secret.Payload.Span, secret.Signature.Span))
        {
            return null;
        }
        try
        {
            return Secret.Parser.ParseFrom(secret.Payload).InternalEndpoint;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>
    /// Parses the payload. The caller has already bounded the envelope's size; protobuf cannot allocate
    /// more than the bytes present, and malformed input raises <see cref="InvalidProtocolBufferException"/>.
    /// </summary>
    public static bool TryParsePayload(SignedEnvelope envelope, out GossipMessage? message, out string? error)
    {
        try
        {
            message = GossipMessage.Parser.ParseFrom(envelope.Payload);
            error = message.ContentCase == GossipMessage.ContentOneofCase.None ? "payload has no message content" : null;
            if (error is not null)
            {
                message = null;
            }
            return error is null;
        }
        catch (InvalidProtocolBufferException ex)
        {
            message = null;
            error = "malformed payload: " + ex.Message;
            return false;
        }
    }
}
