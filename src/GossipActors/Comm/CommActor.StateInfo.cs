using Akka.Actor;
using Akka.Event;
using GossipActors.Protocol.Wire;
using Kind = GossipActors.Protocol.Wire.GossipMessage.ContentOneofCase;

namespace GossipActors.Comm;

/// <summary>State infos relayed in a snapshot: each climbs the guard ladder as if it came from its publisher.</summary>
public sealed partial class CommActor
{
    private void OnVerifyRelayedStateInfo(VerifyRelayedStateInfo request)
    {
        var now = _time.GetUtcNow();
        foreach (var envelope in request.Envelopes)
        {
            switch (_guard.Check(envelope, connectionPeer: null, now))
            {
                case GuardVerdict.Accepted { Message.ContentCase: Kind.StateInfo } ok when ok.Message.Channel == request.Channel:
                    Sender.Tell(new Inbound(ok.Sender, ok.Message, envelope, null, RelayedBy: request.RelayedBy.PkiId));
                    break;
                case GuardVerdict.Accepted other:
                    _counters.Rejected(Rejection.Malformed);
                    _log.Warning("Rejected {Kind} of channel '{Channel}' relayed by {Relayer} in a state info snapshot of '{Expected}'",
                        other.Message.ContentCase, other.Message.Channel, request.RelayedBy, request.Channel);
                    break;
                case GuardVerdict.Rejected { Reason: Rejection.Stale }:
                    _counters.Duplicate(); // older than one we hold: normal in a snapshot, not an attack
                    break;
                case GuardVerdict.Rejected rejected:
                    _counters.Rejected(rejected.Reason);
                    _log.Warning("Rejected state info of {Claimed} relayed by {Relayer}: {Reason}: {Detail}",
                        rejected.Claimed, request.RelayedBy, rejected.Reason, rejected.Detail);
                    break;
                case GuardVerdict.Duplicate:
                    _counters.Duplicate();
                    break;
            }
        }
    }
}
