using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Channels;

/// <summary>
/// The block dissemination of one channel at one peer: store, push (enhanced or Fabric) and pull, behind one
/// surface for the channel actor. Every input is an already-verified fact (the shell checked signatures, the block's
/// orderer signature and the sender's org); every call returns the messages to send and the blocks new to us.
/// Inputs from peers not in the current snapshot are ignored and counted.
/// </summary>
public sealed class ChannelDissemination
{
    private readonly ChannelContext _ctx;
    private readonly EnhancedPush? _enhanced;
    private readonly FabricPush? _fabric;

    public ChannelDissemination(string channel, PkiId self, DisseminationCoreSettings settings, Random random)
    {
        var problems = settings.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid dissemination settings: " + string.Join(" ", problems), nameof(settings));
        }
        _ctx = new ChannelContext(channel, self, settings, random);
        Pull = new PullEngine(_ctx);
        if (settings.Mode == DisseminationMode.Enhanced)
        {
            _enhanced = new EnhancedPush(_ctx);
        }
        else
        {
            _fabric = new FabricPush(_ctx);
        }
    }

    public string Channel => _ctx.Channel;
    public PkiId Self => _ctx.Self;
    public DisseminationCoreSettings Settings => _ctx.Settings;
    public BlockMessageStore Store => _ctx.Store;
    public DisseminationCounters Counters => _ctx.Counters;
    public PullEngine Pull { get; }
    public ChannelPeerSet Peers => _ctx.Peers;
    public ulong LedgerHeight => _ctx.LedgerHeight;

    /// <summary>Blocks whose spread this peer remembers (enhanced mode): bounded by the blocks near the known height.</summary>
    public int RumorCount => _enhanced?.RumorCount ?? 0;

    /// <summary>The earliest instant <see cref="Tick"/> has work; the shell arms a timer for it.</summary>
    public DateTimeOffset? NextDue => Earliest(Earliest(Pull.NextDue, _enhanced?.NextDue), _fabric?.NextDue);

    /// <summary>Replaces the channel's peer snapshot (from the channel membership core).</summary>
    public void UpdatePeers(ChannelPeerSet peers) => _ctx.Peers = peers;

    /// <summary>Our ledger's height changed (blocks below it are committed).</summary>
    public void UpdateLedgerHeight(ulong height) => _ctx.LedgerHeight = Math.Max(_ctx.LedgerHeight, height);

    /// <summary>Whether we hold or have committed block <paramref name="number"/>.</summary>
    public bool Has(ulong number) => _ctx.Has(number);

    /// <summary>A block this peer brings into gossip (the leader, from the ordering service).</summary>
    public DisseminationOutput Inject(ulong number, ByteString block, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        var data = ChannelContext.Data(number, block, 0, 0);
        if (!Accept(data, now, output))
        {
            return output;
        }
        if (_enhanced is not null)
        {
            _enhanced.Originate(data, now, output);
        }
        else
        {
            _fabric!.OnNewBlock(data, default, now, output);
        }
        return output;
    }

    public DisseminationOutput OnDataMessage(PkiId from, DataMessage data, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (!FromChannelPeer(from))
        {
            return output;
        }
        var isNew = Accept(data, now, output);
        if (_enhanced is not null)
        {
            _enhanced.OnData(from, data, isNew, now, output);
        }
        else if (isNew)
        {
            _fabric!.OnNewBlock(data, from, now, output);
        }
        else
        {
            _ctx.Counters.DuplicateBlocks++;
        }
        return output;
    }

    /// <summary>A digest (enhanced mode). In Fabric mode digests are not part of the protocol and are ignored.</summary>
    public DisseminationOutput OnDataDigest(PkiId from, DataDigest digest, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (_enhanced is not null && FromChannelPeer(from))
        {
            _enhanced.OnDigest(from, digest, now, output);
        }
        return output;
    }

    public DisseminationOutput OnDataRequest(PkiId from, DataRequest request, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (_enhanced is not null && FromChannelPeer(from))
        {
            _enhanced.OnRequest(from, request, now, output);
        }
        return output;
    }

    public DisseminationOutput OnHello(PkiId from, GossipHello hello, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (FromChannelPeer(from))
        {
            Pull.OnHello(from, hello, now, output);
        }
        return output;
    }

    public DisseminationOutput OnPullDigest(PkiId from, PullDigest digest, DateTimeOffset now)
    {
        _ = now;
        if (FromChannelPeer(from))
        {
            Pull.OnDigest(from, digest);
        }
        return new DisseminationOutput();
    }

    public DisseminationOutput OnPullRequest(PkiId from, PullRequest request, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (FromChannelPeer(from))
        {
            Pull.OnRequest(from, request, now, output);
        }
        return output;
    }

    /// <summary>
    /// Routes the kinds that carry no block (digests, requests, pull hello/digest/request) to their handler; null for
    /// any other kind. Blocks (data messages, pull responses) go through the typed methods after verification.
    /// </summary>
    public DisseminationOutput? OnControlMessage(PkiId from, GossipMessage message, DateTimeOffset now) => message.ContentCase switch
    {
        GossipMessage.ContentOneofCase.DataDigest => OnDataDigest(from, message.DataDigest, now),
        GossipMessage.ContentOneofCase.DataReq => OnDataRequest(from, message.DataReq, now),
        GossipMessage.ContentOneofCase.Hello => OnHello(from, message.Hello, now),
        GossipMessage.ContentOneofCase.PullDigest => OnPullDigest(from, message.PullDigest, now),
        GossipMessage.ContentOneofCase.PullReq => OnPullRequest(from, message.PullReq, now),
        _ => null,
    };

    /// <summary>
    /// Whether a pull response from <paramref name="from"/> under <paramref name="nonce"/> answers our current round;
    /// counted when not. The shell asks before it verifies any block of the response.
    /// </summary>
    public bool AcceptsPullResponse(PkiId from, ulong nonce) => FromChannelPeer(from) && Pull.AcceptsResponse(from, nonce);

    /// <summary>Whether a block in a pull response from <paramref name="from"/> is one we asked it for and still lack:
    /// only those are verified.</summary>
    public bool WantsPulled(PkiId from, ulong number) => !_ctx.Has(number) && Pull.Requested(from, number);

    /// <summary>
    /// A pull response: <paramref name="blocks"/> are its elements, already parsed and verified by the shell
    /// (<see cref="PullEngine.BlocksOf"/> parses). Pulled blocks are stored and delivered, not pushed on.
    /// </summary>
    public DisseminationOutput OnPullResponse(PkiId from, ulong nonce, IReadOnlyList<DataMessage> blocks, DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        if (!FromChannelPeer(from) || !Pull.AcceptsResponse(from, nonce))
        {
            return output;
        }
        foreach (var block in blocks)
        {
            if (Accept(block, now, output))
            {
                _enhanced?.OnData(from, ChannelContext.Data(block.SeqNum, block.Block, 0, 0), isNew: true, now, output);
            }
            else
            {
                _ctx.Counters.DuplicateBlocks++;
            }
        }
        return output;
    }

    /// <summary>Timers: pull rounds, request retries, burst emission, store expiry. Call at <see cref="NextDue"/> or any time.</summary>
    public DisseminationOutput Tick(DateTimeOffset now)
    {
        var output = new DisseminationOutput();
        _ctx.Store.Expire(now);
        Pull.Tick(now, output);
        _enhanced?.Tick(now, output);
        _fabric?.Tick(now, output);
        return output;
    }

    /// <summary>Stores a block new to us and hands it out; a block we have, or below the store's window, is not new.</summary>
    private bool Accept(DataMessage data, DateTimeOffset now, DisseminationOutput output)
    {
        if (_ctx.Has(data.SeqNum))
        {
            return false;
        }
        if (_ctx.Store.Add(data.SeqNum, data.Block, now) != StoreOutcome.Added)
        {
            _ctx.Counters.BelowStoreWindow++;
            return false;
        }
        output.NewBlocks.Add(data);
        return true;
    }

    private bool FromChannelPeer(PkiId from)
    {
        if (_ctx.Peers.Contains(from))
        {
            return true;
        }
        _ctx.Counters.NotChannelPeer++;
        return false;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
