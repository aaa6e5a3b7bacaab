using Akka.Actor;
using Akka.Event;
using GossipActors.Comm;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>
/// State transfer: as requester, the <see cref="StateTransferPlanner"/> decides which ranges to ask which channel
/// peer for (any org); requests are signed; each response is matched to its request, every block verified (orderer
/// signature, channel, number in the asked range) and offered to the commit pipeline, which checks the chain. As
/// responder, requests from channel members go to the ledger actor, which reads and answers off this thread.
/// </summary>
public sealed partial class ChannelActor
{
    /// <summary>
    /// Requests of one requester being read by the ledger actor at most (twice what a planner ever has in flight to one
    /// peer); beyond it a request is answered empty at once, so the requester turns to another peer without waiting.
    /// </summary>
    private const int MaxRequestsBeingServedPerPeer = 2 * StateTransferPlanner.MaxInFlightPerPeer;

    private readonly Dictionary<Crypto.PkiId, int> _requestsBeingServed = [];

    private void OnStateRequest(PeerIdentityInfo sender, GossipMessage message)
    {
        var request = message.StateRequest;
        var serving = _requestsBeingServed.GetValueOrDefault(sender.PkiId);
        if (request.EndSeqNum < request.StartSeqNum || serving >= MaxRequestsBeingServedPerPeer)
        {
            _counters.StateTransferRequestsRefused++;
            _log.Warning("Channel {Channel}: refused state request {From}..{To} from {Sender}: {Reason}", Channel,
                request.StartSeqNum, request.EndSeqNum, sender, request.EndSeqNum < request.StartSeqNum ? "empty range" : "too many of its requests being served");
            var empty = new GossipMessage { Nonce = message.Nonce, Channel = Channel, Tag = GossipTag.ChanOnly, StateResponse = new StateTransferResponse() };
            Comm.Tell(new SendTo(sender.PkiId, EnvelopeCodec.Unsigned(empty)));
            return;
        }
        var batch = (ulong)_options.StateTransferOrDefault.BatchSize;
        var to = request.EndSeqNum - request.StartSeqNum >= batch ? request.StartSeqNum + batch - 1 : request.EndSeqNum;
        _requestsBeingServed[sender.PkiId] = serving + 1;
        _ledger.Tell(new ServeRange(sender.PkiId, message.Nonce, request.StartSeqNum, to, _options.StateTransferOrDefault.MaxResponseBytes));
    }

    private void OnRangeServed(RangeServed served)
    {
        var serving = _requestsBeingServed.GetValueOrDefault(served.Requester) - 1;
        if (serving > 0)
        {
            _requestsBeingServed[served.Requester] = serving;
        }
        else
        {
            _requestsBeingServed.Remove(served.Requester);
        }
        _counters.StateTransferBlocksServed += served.Blocks;
    }

    private void OnStateResponse(PeerIdentityInfo sender, GossipMessage message, DateTimeOffset now)
    {
        if (_stateTransfer.OnResponse(sender.PkiId, message.Nonce, now) is not { } asked)
        {
            _log.Debug("Channel {Channel}: dropped a state response from {Sender}: no request of ours in flight with nonce {Nonce}",
                Channel, sender, message.Nonce);
            return;
        }
        var payloads = message.StateResponse.Payloads;
        if (payloads.Count == 0)
        {
            _stateTransfer.OnEmpty(sender.PkiId, asked);
            RequestMissingBlocks(now);
            Rearm(now);
            return;
        }
        var blocks = new List<LedgerBlock>(payloads.Count);
        var expected = asked.From;
        foreach (var data in payloads)
        {
            if (data.SeqNum != expected || expected > asked.To)
            {
                RejectStateResponse(sender, asked, $"carries block {data.SeqNum} where {expected} was due (asked {asked.From}..{asked.To})", "OutOfRange");
                return;
            }
            if (Verified(data, $"in a state response from {sender}", now) is not { } block || LedgerBlock.From(block, data.Block) is not { } ledgerBlock)
            {
                RejectStateResponse(sender, asked, $"block {data.SeqNum} does not verify", reason: null);
                return;
            }
            blocks.Add(ledgerBlock);
            expected++;
        }
        for (var i = 1; i < blocks.Count; i++)
        {
            if (!blocks[i].Extends(blocks[i - 1].Number + 1, blocks[i - 1].Hash))
            {
                RejectStateResponse(sender, asked, $"block {blocks[i].Number} does not extend block {blocks[i - 1].Number}", "OutOfChain");
                return;
            }
        }
        foreach (var block in blocks)
        {
            if (!_pipeline.Has(block.Number))
            {
                _stateTransfer.Counters.BlocksReceived++;
            }
            Offer(block, sender.PkiId);
        }
        AfterOffers(now);
        Rearm(now);
    }

    /// <param name="reason">The bad-block reason to count; null when <see cref="Verified"/> has counted it.</param>
    private void RejectStateResponse(PeerIdentityInfo sender, AnsweredRequest asked, string detail, string? reason)
    {
        if (reason is not null)
        {
            _counters.BadBlock(reason);
        }
        _log.Warning("Channel {Channel}: rejected a state response from {Sender} (asked {From}..{To}): {Detail}; not asking it again this round",
            Channel, sender, asked.From, asked.To, detail);
        _stateTransfer.OnBadSender(sender.PkiId, asked);
        var now = Now;
        RequestMissingBlocks(now);
        Rearm(now);
    }

    /// <summary>A peer reported a height (state info): far enough ahead, we start catching up at once.</summary>
    private void OnHeightReported(ulong height, DateTimeOffset now)
    {
        if (height > _pipeline.AcceptedHeight)
        {
            _stateTransfer.OnHeightReported(_pipeline.AcceptedHeight, height);
            RequestMissingBlocks(now);
            Rearm(now);
        }
    }

    /// <summary>Sends the requests the planner wants now (signed; any channel peer that has the blocks).</summary>
    private void RequestMissingBlocks(DateTimeOffset now)
    {
        if (_left)
        {
            return;
        }
        ulong target = 0;
        foreach (var request in _stateTransfer.Plan(_pipeline.AcceptedHeight, _pipeline.CommittedHeight, _pipeline.Has, _membership.Peers, now))
        {
            target = Math.Max(target, request.To + 1);
            var message = new GossipMessage
            {
                Nonce = request.Nonce,
                Channel = Channel,
                Tag = GossipTag.ChanOnly,
                StateRequest = new StateTransferRequest { StartSeqNum = request.From, EndSeqNum = request.To },
            };
            Comm.Tell(new SendTo(request.Peer, EnvelopeCodec.Sign(message, _context.Identity.Key)));
        }
        if (_catchUp.OnRequested(_pipeline.CommittedHeight, target, now) is { } line)
        {
            _log.Info(line);
        }
    }
}
