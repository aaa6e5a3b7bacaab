using GossipActors.Protocol.Wire;

namespace GossipActors.Comm;

/// <summary>
/// Outbound flow control for one remote peer: at most <c>window</c> envelopes in flight (sent but not yet
/// acknowledged), the rest waiting in a queue of at most <c>capacity</c>; when the queue is full the OLDEST waiting
/// envelope is dropped and counted, so a slow peer never grows memory without bound and the connection stays.
/// Acknowledgements are cumulative counts; if they stall (lost in a partition) <see cref="ForgetInFlight"/> writes the
/// in-flight envelopes off so the window reopens.
/// </summary>
public sealed class PeerSendQueue
{
    private readonly LinkedList<SignedEnvelope> _waiting = new();
    private readonly int _capacity;
    private readonly int _window;
    private ulong _sent;
    private ulong _acknowledged;
    private ulong _writtenOff;

    public PeerSendQueue(int capacity, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        _capacity = capacity;
        _window = window;
    }

    public int Waiting => _waiting.Count;
    public long Dropped { get; private set; }
    public ulong Sent => _sent;
    public int InFlight => (int)Math.Max(0L, (long)_sent - (long)_acknowledged - (long)_writtenOff);

    /// <summary>Queues an envelope; returns false if an older one had to be dropped to make room.</summary>
    public bool Enqueue(SignedEnvelope envelope)
    {
        var roomy = true;
        if (_waiting.Count >= _capacity)
        {
            _waiting.RemoveFirst();
            Dropped++;
            roomy = false;
        }
        _waiting.AddLast(envelope);
        return roomy;
    }

    /// <summary>Takes the envelopes that may be sent now, oldest first, and counts them as in flight.</summary>
    public IReadOnlyList<SignedEnvelope> TakeSendable()
    {
        var room = _window - InFlight;
        if (room <= 0 || _waiting.Count == 0)
        {
            return [];
        }
        var batch = new List<SignedEnvelope>(Math.Min(room, _waiting.Count));
        while (batch.Count < room && _waiting.First is { } first)
        {
            batch.Add(first.Value);
            _waiting.RemoveFirst();
        }
        _sent += (ulong)batch.Count;
        return batch;
    }

    /// <summary>Counts one envelope sent outside the queue (the handshake), so acknowledgements line up.</summary>
    public void CountDirectSend() => _sent++;

    /// <summary>The receiver has taken <paramref name="received"/> envelopes in total. Returns true if it was progress.</summary>
    public bool Acknowledge(ulong received)
    {
        if (received <= _acknowledged)
        {
            return false;
        }
        _acknowledged = Math.Min(received, _sent);
        return true;
    }

    /// <summary>Writes off what is in flight (lost, or the receiver restarted), reopening the window.</summary>
    public void ForgetInFlight() => _writtenOff = _sent - Math.Min(_acknowledged, _sent);

    /// <summary>A new session with a (possibly restarted) receiver: counts start again from zero.</summary>
    public void Reset()
    {
        _sent = 0;
        _acknowledged = 0;
        _writtenOff = 0;
    }
}
