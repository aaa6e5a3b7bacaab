using GossipActors.Ordering;
using GossipActors.Tests.Support;
using Xunit;

namespace GossipActors.Tests.Ordering;

/// <summary>The broadcast client always reports, even when it is stopped before it finished.</summary>
public sealed class BroadcastClientSpec : WireCheckedSpec
{
    private readonly TestPki _pki = new();

    public BroadcastClientSpec() : base("akka.loglevel = WARNING") { }

    protected override void Dispose(bool disposing)
    {
        try
        {
            base.Dispose(disposing);
        }
        finally
        {
            _pki.Dispose();
        }
    }

    [Fact]
    public async Task A_client_stopped_before_it_finished_completes_its_report_with_an_error()
    {
        var done = new TaskCompletionSource<BroadcastReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Never started, and its orderer would take minutes to time out: only the stop can complete the report (as when
        // Akka.Remote shuts the client's system down after a refused TLS handshake).
        var client = Sys.ActorOf(BroadcastClient.Props(_pki.Peer("Org1", "client0.org1"), "akka://nowhere/user/orderer", "ch",
            count: 5, size: 100, inFlight: 5, answerTimeout: TimeSpan.FromMinutes(10), done));

        Sys.Stop(client);
        var report = await done.Task.WaitAsync(Dilated(TimeSpan.FromSeconds(30)));

        Assert.Equal(0, report.Accepted);
        Assert.Contains("stopped before every transaction was answered", report.Error, StringComparison.Ordinal);
    }
}
