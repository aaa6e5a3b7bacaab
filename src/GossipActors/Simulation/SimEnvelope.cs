using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>A gossip message in the simulated network with its size on the wire and whether it is signed.</summary>
public readonly record struct SimEnvelope(GossipMessage Message, int WireBytes, bool Signed)
{
    private const int SignatureField = 1 + 1 + 64; // tag, length, Ed25519 signature

    /// <summary>The session fields comm adds to every envelope: MAC (32 B), session id (16 B), counter (varint).</summary>
    public const int SessionFields = (1 + 1 + 32) + (1 + 1 + 16) + (1 + 4);

    /// <summary>
    /// Wraps <paramref name="message"/> as the channel actor sends it: state info, its pull request and snapshot, and
    /// state-transfer requests signed by their author; every other kind (data, digests, hello, pull, state-transfer
    /// responses) only under comm's session MAC; the size is the SignedEnvelope (payload field, signature field when
    /// signed, session fields) plus Akka.Remote's frame overhead.
    /// </summary>
    public static SimEnvelope Of(GossipMessage message, int frameOverheadBytes)
    {
        var signed = IsSigned(message.ContentCase);
        var payload = message.CalculateSize();
        var envelope = 1 + CodedOutputStream.ComputeLengthSize(payload) + payload + (signed ? SignatureField : 0) + SessionFields;
        return new SimEnvelope(message, envelope + frameOverheadBytes, signed);
    }

    /// <summary>The kinds the channel actor signs (the rest travel under the session MAC alone).</summary>
    public static bool IsSigned(GossipMessage.ContentOneofCase kind) => kind is GossipMessage.ContentOneofCase.StateInfo
        or GossipMessage.ContentOneofCase.StateInfoPullReq or GossipMessage.ContentOneofCase.StateSnapshot
        or GossipMessage.ContentOneofCase.StateRequest;

    /// <summary>Blocks verified as soon as this message arrives: the block of a data message (a pull or state-transfer
    /// response's are verified only if wanted, apart).</summary>
    public int Blocks => Message.ContentCase == GossipMessage.ContentOneofCase.DataMsg ? 1 : 0;
}
