using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using GossipActors.Discovery;

namespace GossipActors.Hosting;

/// <summary>
/// The org system's status actor (/user/org-status): answers <see cref="PeerStatusQuery"/> from other peers of the
/// org cluster with its own peer's status, and gathers every Up member's report for a local <see cref="GetOrgStatus"/>.
/// The query and the report cross the org cluster as Hyperion control-plane records.
/// </summary>
public sealed class OrgStatusActor : ReceiveActor
{
    public const string Name = "org-status";

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public OrgStatusActor(IActorRef peer, string id, string mspId, string endpoint)
    {
        Receive<PeerStatusQuery>(_ =>
        {
            var replyTo = Sender;
            peer.Ask<MembershipSnapshot>(GetMembership.Instance, TimeSpan.FromSeconds(5))
                .ContinueWith(t => t.IsCompletedSuccessfully
                    ? (object)new PeerStatusReport(id, mspId, endpoint, t.Result.Self.PkiId.ToHex(), t.Result.Alive.Count, t.Result.Dead.Count)
                    : new Status.Failure(t.Exception ?? (Exception)new TaskCanceledException()), TaskScheduler.Default)
                .PipeTo(replyTo);
        });
        Receive<GetOrgStatus>(query =>
        {
            var members = Cluster.Get(Context.System).State.Members.Where(m => m.Status == MemberStatus.Up).Select(m => m.Address).ToList();
            Gather(Context.System, members, query.Timeout).PipeTo(Sender);
        });
    }

    public static Props Props(IActorRef peer, string id, string mspId, string endpoint) =>
        Akka.Actor.Props.Create(() => new OrgStatusActor(peer, id, mspId, endpoint));

    private async Task<OrgStatus> Gather(ActorSystem system, IReadOnlyList<Address> members, TimeSpan timeout)
    {
        var asks = members.Select(async address =>
        {
            try
            {
                var report = await system.ActorSelection(new RootActorPath(address) / "user" / Name)
                    .Ask<PeerStatusReport>(new PeerStatusQuery(), timeout);
                return (address, report);
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException or InvalidCastException)
            {
                _log.Warning("Org status: {Address} did not answer ({Reason})", address, ex.Message);
                return (address, (PeerStatusReport?)null);
            }
        }).ToList();
        var results = await Task.WhenAll(asks);
        return new OrgStatus(
            [.. results.Select(r => r.Item2).OfType<PeerStatusReport>().OrderBy(r => r.Id, StringComparer.Ordinal)],
            [.. results.Where(r => r.Item2 is null).Select(r => r.address.ToString())]);
    }
}
