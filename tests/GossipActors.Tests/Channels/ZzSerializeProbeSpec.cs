using Akka.Event;
using Xunit;
using Xunit.Abstractions;

namespace GossipActors.Tests.Channels;

public sealed class ZzSerializeProbeSpec(ITestOutputHelper output) : ChannelSpecBase
{
    [Fact]
    public void Probe()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(Error));
        Sys.EventStream.Subscribe(probe.Ref, typeof(Warning));
        StartOrg1(Names("p", 2));
        var seen = new HashSet<string>();
        Thread.Sleep(6000);
        try { Status("p1"); output.WriteLine("status ok"); } catch (Exception ex) { output.WriteLine("status: " + ex.Message); }
        try { Net.View("p1"); output.WriteLine("membership ok"); } catch (Exception ex) { output.WriteLine("membership: " + ex.Message); }
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < end)
        {
            var m = probe.ReceiveOne(TimeSpan.FromSeconds(1));
            if (m is LogEvent e)
            {
                var text = e.ToString();
                var key = text.Length > 400 ? text[..400] : text;
                if (seen.Add(key)) output.WriteLine(key + " || " + e.Cause?.GetType().Name + ": " + e.Cause?.Message);
            }
        }
    }
}
