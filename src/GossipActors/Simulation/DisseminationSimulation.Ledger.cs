using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Simulation;

/// <summary>
/// The ledger and state transfer, as the channel actor drives them: blocks new to a peer go to its
/// <see cref="CommitPipeline"/> (in order, payload buffer of blockBufferSize); accepted blocks are written in batches by
/// the peer's ledger actor (its own lane of the CPU, storage cost per batch and per KiB; one batch in flight); a block
/// counts as committed when its batch is written. The <see cref="StateTransferPlanner"/> asks any channel peer with a
/// higher height for missing ranges (signed requests); the responder's ledger actor reads them (CPU) and answers with
/// what it has committed; the requester verifies each block and offers it to the pipeline. So a block evicted from
/// every gossip store comes back, and a late joiner catches up.
/// </summary>
public sealed partial class DisseminationSimulation
{
    private CommitPipeline[] _pipelines = null!;
    private StateTransferPlanner[] _planners = null!;
    private LedgerBlock[] _ledgerBlocks = null!;
    private int[] _servingFor = null!;          // state requests being read by each peer's ledger actor
    private StateTransferOptions _transfer = null!;

    private void InitLedger()
    {
        var n = _peers.Length;
        _transfer = _options.EffectiveStateTransfer;
        _pipelines = Enumerable.Range(0, n).Select(_ => new CommitPipeline(0, ByteString.Empty, _transfer.Window)).ToArray();
        _planners = Enumerable.Range(0, n)
            .Select(i => new StateTransferPlanner(_transfer, _ids[i], new Random(_random.Next()), Epoch)).ToArray();
        _ledgerBlocks = new LedgerBlock[_options.Blocks];
        _servingFor = new int[n];
    }

    /// <summary>The ledger's view of block <paramref name="number"/>: a hash chain over the block numbers.</summary>
    private static LedgerBlock LedgerBlockOf(ulong number, ByteString bytes) =>
        new(number, HashOf(number), number == 0 ? ByteString.Empty : HashOf(number - 1), bytes);

    private static ByteString HashOf(ulong number) => ByteString.CopyFrom(BitConverter.GetBytes(number + 1));

    /// <summary>The peer's ledger actor: its own lane, sharing the cores with the rest when cores are shared.</summary>
    private int LedgerLane(int peer) => _peers.Length + peer;

    /// <summary>Verified blocks new to the peer (gossip or state transfer) go to its commit pipeline.</summary>
    private void Offer(int peer, IEnumerable<ulong> numbers, PkiId? source)
    {
        var pipeline = _pipelines[peer];
        foreach (var number in numbers)
        {
            if (number < (ulong)_ledgerBlocks.Length)
            {
                pipeline.Offer(_ledgerBlocks[number], source);
            }
        }
        _peers[peer].UpdateLedgerHeight(pipeline.AcceptedHeight);
        WriteNextBatch(peer);
        RequestMissingBlocks(peer);
    }

    /// <summary>As the channel actor: one batch in flight to the ledger actor, which writes it (storage cost) and reports.</summary>
    private void WriteNextBatch(int peer)
    {
        if (_pipelines[peer].TakeBatch() is not { } batch)
        {
            return;
        }
        var last = batch[^1];
        var done = _cpu.Run(LedgerLane(peer), _scheduler.Now, _costs.StoreCost(batch.Count, _options.BlockBytes));
        _scheduler.At(done, () => OnWritten(peer, last.Number + 1, last.Hash));
    }

    private void OnWritten(int peer, ulong height, ByteString lastHash)
    {
        var pipeline = _pipelines[peer];
        var before = pipeline.CommittedHeight;
        pipeline.OnWritten(height, lastHash);
        for (var number = before; number < pipeline.CommittedHeight; number++)
        {
            Committed(peer, (int)number);
        }
        OnOwnHeight(peer, pipeline.CommittedHeight);
        WriteNextBatch(peer);
        RequestMissingBlocks(peer);
        Rearm(peer);
    }

    /// <summary>Heights reported in state info: a peer a batch or more behind starts state transfer at once.</summary>
    private void NoteReportedHeight(int peer)
    {
        var accepted = _pipelines[peer].AcceptedHeight;
        var reported = _memberships[peer].Peers.MaxHeight;
        if (reported > accepted)
        {
            _planners[peer].OnHeightReported(accepted, reported);
            RequestMissingBlocks(peer);
        }
    }

    private void TickStateTransfer(int peer, DateTimeOffset now)
    {
        _planners[peer].Tick(now, _memberships[peer].Peers);
        RequestMissingBlocks(peer);
    }

    /// <summary>Sends the requests the planner wants now: signed, to any channel peer that has the blocks.</summary>
    private void RequestMissingBlocks(int peer)
    {
        if (!_joined[peer])
        {
            return;
        }
        var pipeline = _pipelines[peer];
        foreach (var request in _planners[peer].Plan(pipeline.AcceptedHeight, pipeline.CommittedHeight, pipeline.Has, _memberships[peer].Peers, Now))
        {
            var message = new GossipMessage
            {
                Nonce = request.Nonce,
                Channel = Channel,
                Tag = GossipTag.ChanOnly,
                StateRequest = new StateTransferRequest { StartSeqNum = request.From, EndSeqNum = request.To },
            };
            Send(peer, _indexOf[request.Peer], SimEnvelope.Of(message, _costs.FrameOverheadBytes), sign: true);
        }
    }

    /// <summary>
    /// As the responder's channel and ledger actors: a requester over its share is answered empty at once; otherwise the
    /// ledger actor reads the committed blocks of the range (at most a batch, under the size limit) and answers.
    /// </summary>
    private void OnStateRequest(int from, int to, GossipMessage message)
    {
        var request = message.StateRequest;
        if (request.EndSeqNum < request.StartSeqNum || _servingFor[to] >= 2 * StateTransferPlanner.MaxInFlightPerPeer)
        {
            SendStateResponse(to, from, message.Nonce, []);
            return;
        }
        var last = Math.Min(request.EndSeqNum, request.StartSeqNum + (ulong)_transfer.BatchSize - 1);
        var committed = _pipelines[to].CommittedHeight;
        var numbers = new List<ulong>();
        long bytes = 0;
        for (var number = request.StartSeqNum; number <= last && number < committed; number++)
        {
            if (numbers.Count > 0 && bytes + _options.BlockBytes > _transfer.MaxResponseBytes)
            {
                break;
            }
            numbers.Add(number);
            bytes += _options.BlockBytes;
        }
        _servingFor[to]++;
        var done = _cpu.Run(LedgerLane(to), _scheduler.Now, _costs.ReadCost(numbers.Count, _options.BlockBytes));
        _scheduler.At(done, () =>
        {
            _servingFor[to]--;
            _traffic.Served(to, numbers.Count);
            SendStateResponse(to, from, message.Nonce, numbers);
        });
    }

    private void SendStateResponse(int from, int to, ulong nonce, List<ulong> numbers)
    {
        var response = new StateTransferResponse();
        response.Payloads.AddRange(numbers.Select(n => new DataMessage { SeqNum = n, Block = _ledgerBlocks[n].Bytes }));
        var message = new GossipMessage { Nonce = nonce, Channel = Channel, Tag = GossipTag.ChanOnly, StateResponse = response };
        Send(from, to, SimEnvelope.Of(message, _costs.FrameOverheadBytes), sign: false);
    }

    /// <summary>As the requester's channel actor: matched to its request, each block verified (CPU), then offered.</summary>
    private void OnStateResponse(int from, int to, GossipMessage message)
    {
        var planner = _planners[to];
        if (planner.OnResponse(_ids[from], message.Nonce, Now) is not { } asked)
        {
            return;
        }
        var payloads = message.StateResponse.Payloads;
        if (payloads.Count == 0)
        {
            planner.OnEmpty(_ids[from], asked);
            RequestMissingBlocks(to);
            Rearm(to);
            return;
        }
        _traffic.Verified(to, payloads.Count);
        var numbers = payloads.Select(p => p.SeqNum).ToList();
        var done = _cpu.Run(to, _scheduler.Now, _costs.BlockVerifyCost * payloads.Count);
        _scheduler.At(done, () =>
        {
            var pipeline = _pipelines[to];
            foreach (var number in numbers)
            {
                if (!pipeline.Has(number))
                {
                    planner.Counters.BlocksReceived++;
                    _traffic.StateTransferBlock(to);
                }
            }
            Offer(to, numbers, _ids[from]);
            Rearm(to);
        });
    }

    /// <summary>Handles the state-transfer kinds; false for any other kind.</summary>
    private bool HandleStateTransferKind(int from, int to, GossipMessage message)
    {
        switch (message.ContentCase)
        {
            case GossipMessage.ContentOneofCase.StateRequest:
                OnStateRequest(from, to, message);
                return true;
            case GossipMessage.ContentOneofCase.StateResponse:
                OnStateResponse(from, to, message);
                return true;
            default:
                return false;
        }
    }
}
