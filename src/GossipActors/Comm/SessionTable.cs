using GossipActors.Crypto;
using Google.Protobuf;

namespace GossipActors.Comm;

/// <summary>
/// The sessions comm holds, by session id: at most <c>maxSessions</c> in all (the least recently active is evicted)
/// and at most <see cref="MaxPerPeer"/> per peer (its oldest is evicted), so no peer, however many handshakes it
/// sends, holds more than a few. Sessions exist only after a verified handshake; nothing is kept for an unverified
/// sender.
/// </summary>
public sealed class SessionTable(int maxSessions)
{
    /// <summary>Both directions' handshakes and a renewal in flight fit; anything beyond replaces the oldest.</summary>
    public const int MaxPerPeer = 4;

    private readonly Dictionary<ByteString, Session> _byId = [];

    public int Count => _byId.Count;

    public int Capacity => maxSessions;

    public bool TryGet(ByteString id, out Session session) => _byId.TryGetValue(id, out session!);

    /// <summary>Adds a session, evicting (and closing) what the bounds require; returns how many were evicted.</summary>
    public int Add(Session session)
    {
        var evicted = 0;
        var ofPeer = _byId.Values.Where(s => s.Peer.PkiId == session.Peer.PkiId).OrderBy(s => s.CreatedAt).ToList();
        for (var i = 0; i <= ofPeer.Count - MaxPerPeer; i++)
        {
            Remove(ofPeer[i]);
            evicted++;
        }
        while (_byId.Count >= maxSessions && _byId.Count > 0)
        {
            Remove(_byId.Values.MinBy(s => s.LastActive)!);
            evicted++;
        }
        if (_byId.Remove(session.Id, out var same))
        {
            same.Close(); // the same id twice means the same two ephemeral keys: a replayed handshake answered again
        }
        _byId[session.Id] = session;
        return evicted;
    }

    /// <summary>Closes every session with <paramref name="peer"/> (purged, or its certificate renewed).</summary>
    public void Forget(PkiId peer)
    {
        foreach (var session in _byId.Values.Where(s => s.Peer.PkiId == peer).ToList())
        {
            Remove(session);
        }
    }

    /// <summary>Closes every session that matches (e.g. all with a node whose association was lost).</summary>
    public void RemoveWhere(Func<Session, bool> predicate)
    {
        foreach (var session in _byId.Values.Where(predicate).ToList())
        {
            Remove(session);
        }
    }

    private void Remove(Session session)
    {
        _byId.Remove(session.Id);
        session.Close();
    }
}
