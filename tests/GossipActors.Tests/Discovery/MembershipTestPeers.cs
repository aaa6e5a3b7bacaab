using System.Text;
using GossipActors.Crypto;
using GossipActors.Discovery;
using Xunit;

namespace GossipActors.Tests.Discovery;

/// <summary>Builders for membership core tests: peers, records and a core at a fixed virtual start time.</summary>
internal static class MembershipTestPeers
{
    public static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static PkiId Id(int n) => PkiId.FromCertificate(Encoding.UTF8.GetBytes($"test-peer-{n}"));

    public static AliveRecord Alive(int n, ulong seq = 1, ulong inc = 1, string org = "Org1MSP", bool external = true,
        DateTimeOffset? notAfter = null) =>
        new(Id(n), org, external ? $"peer{n}:7051" : "", $"peer{n}.internal:7051", inc, seq,
            notAfter ?? T0.AddYears(1), Envelope: $"envelope-{n}-{inc}-{seq}");

    public static MembershipCore Core(int self = 0, string org = "Org1MSP", MembershipSettings? settings = null,
        IEnumerable<string>? bootstrap = null, IEnumerable<AnchorPeer>? anchors = null, int seed = 1) =>
        new(Alive(self, seq: 0, org: org), settings ?? new MembershipSettings(), bootstrap ?? [], anchors ?? [], new Random(seed));

    public static T Single<T>(IEnumerable<MembershipAction> actions) => Assert.Single(actions.OfType<T>());

    /// <summary>Learns peers 1..count (org 1) by gossip and flushes, so the core has peers to send to.</summary>
    public static void Learn(MembershipCore core, int count, DateTimeOffset now)
    {
        for (var n = 1; n <= count; n++)
        {
            core.OnAlive(Alive(n), now);
        }
        core.FlushForwards(now);
    }
}
