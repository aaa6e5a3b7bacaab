using Akka.Actor;

namespace GossipActors.Comm;

/// <summary>
/// Who receives what comm takes in: the membership actor(s), and one actor per joined channel. Created by comm's
/// parent and passed in comm's Props, so it outlives a restart of comm: a restarted comm still delivers to everyone
/// who subscribed (sessions and links are rebuilt by handshakes; subscriptions could not be).
/// </summary>
public sealed class CommSubscriptions
{
    private readonly Dictionary<string, IActorRef> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _membership = [];

    public IReadOnlyCollection<IActorRef> Membership => _membership;

    public void Subscribe(string? channel, IActorRef subscriber)
    {
        if (channel is null)
        {
            _membership.Add(subscriber);
        }
        else
        {
            _channels[channel] = subscriber;
        }
    }

    public bool IsJoined(string channel) => _channels.ContainsKey(channel);

    public bool TryGetChannel(string channel, out IActorRef subscriber) => _channels.TryGetValue(channel, out subscriber!);

    public void TellMembership(object message)
    {
        foreach (var subscriber in _membership)
        {
            subscriber.Tell(message);
        }
    }
}
