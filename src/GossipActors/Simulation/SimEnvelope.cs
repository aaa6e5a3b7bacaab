using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>A gossip message in the simulated network with its size on the wire and whether it is signed.</summary>
public readonly record struct SimEnvelope(GossipMessage Message, int WireBytes, bool Signed)
{
    private const int SignatureField = 1 + 1 + 64; // tag, length, Ed25519 signature

    /// <summary>
    /// Wraps <paramref name="message"/> as the channel actor sends it: data messages and pull responses unsigned (their
    /// blocks carry the orderer's signature), every other kind signed; the size is the SignedEnvelope (payload field,
    /// signature field) plus Akka.Remote's frame overhead.
    /// </summary>
    public static SimEnvelope Of(GossipMessage message, int frameOverheadBytes)
    {
        var signed = message.ContentCase is not (GossipMessage.ContentOneofCase.DataMsg or GossipMessage.ContentOneofCase.PullRes);
        var payload = message.CalculateSize();
        var envelope = 1 + CodedOutputStream.ComputeLengthSize(payload) + payload + (signed ? SignatureField : 0);
        return new SimEnvelope(message, envelope + frameOverheadBytes, signed);
    }

    /// <summary>Blocks verified as soon as this message arrives: the block of a data message (a pull response's are
    /// verified only if wanted, apart).</summary>
    public int Blocks => Message.ContentCase == GossipMessage.ContentOneofCase.DataMsg ? 1 : 0;
}
