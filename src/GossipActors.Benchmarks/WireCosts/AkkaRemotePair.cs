using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Google.Protobuf;
using GossipActors.Configuration;
using GossipActors.Protocol.Wire;

namespace GossipActors.Benchmarks.WireCosts;

/// <summary>
/// The cost of one gossip envelope through Akka.Remote: two actor systems on loopback in this process (the project's
/// serializer, DotNetty TCP), one sending envelopes to an actor of the other. A burst gives messages/s and the process
/// CPU per message (sender and receiver together: serialization, framing, socket, dispatch); a ping-pong gives the
/// one-way latency of an idle link and its spread.
/// </summary>
internal static class AkkaRemotePair
{
    public sealed record Burst(int Messages, int EnvelopeBytes, double MessagesPerSecond, double CpuUsPerMessage);

    public sealed record PingPong(int RoundTrips, double OneWayP50Ms, double OneWayP10Ms, double OneWayP90Ms);

    private sealed class Sink(int expected, TaskCompletionSource done) : ReceiveActor
    {
        private int _count;

        protected override void PreStart() => Become(() => Receive<SignedEnvelope>(_ =>
        {
            if (++_count == expected)
            {
                _count = 0;
                done.TrySetResult();
            }
        }));
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => Receive<SignedEnvelope>(e => Sender.Tell(e, Self));
    }

    private sealed class Idle : ReceiveActor;

    public static async Task<(Burst Control, Burst Data, PingPong Ping, int FrameOverheadBytes)> Measure(
        SignedEnvelope control, SignedEnvelope data, int messages, int trips)
    {
        var a = ActorSystem.Create("gossip", LoopbackNodes.RemoteSystemConfig());
        var b = ActorSystem.Create("gossip", LoopbackNodes.RemoteSystemConfig());
        try
        {
            var address = ((ExtendedActorSystem)b).Provider.DefaultAddress;
            var senderRef = a.ActorOf(Props.Create(() => new Idle()), "comm");
            var controlBurst = await RunBurst(a, b, address, senderRef, control, messages, "sink-c");
            var dataBurst = await RunBurst(a, b, address, senderRef, data, messages, "sink-d");
            b.ActorOf(Props.Create(() => new Echo()), "echo");
            var echo = await a.ActorSelection(new RootActorPath(address) / "user" / "echo").ResolveOne(TimeSpan.FromSeconds(10));
            var oneWay = new List<double>(trips);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            a.ActorOf(Props.Create(() => new Pinger(echo, control, trips, oneWay, done)));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
            var sorted = oneWay.Skip(trips / 10).Order().ToArray(); // the first tenth warms up
            var ping = new PingPong(trips, sorted[sorted.Length / 2], sorted[sorted.Length / 10], sorted[sorted.Length * 9 / 10]);
            var recipient = $"{address}/user/peer/comm";
            var sender = $"{address}/user/peer/comm#1234567890";
            return (controlBurst, dataBurst, ping, FrameOverhead(recipient, sender, control.CalculateSize()));
        }
        finally
        {
            await Task.WhenAll(a.Terminate(), b.Terminate());
        }
    }

    /// <summary>
    /// Bytes Akka.Remote adds around a serialized message of <paramref name="messageBytes"/>: the 4-byte frame length and
    /// the AckAndEnvelopeContainer / RemoteEnvelope protobuf (recipient path, sender path with uid, the payload's
    /// serializer id and manifest, sequence number), with the paths of this pair.
    /// </summary>
    public static int FrameOverhead(string recipientPath, string senderPath, int messageBytes)
    {
        static int Field(int length) => 1 + CodedOutputStream.ComputeLengthSize(length) + length;
        var recipient = Field(Field(recipientPath.Length));
        var sender = Field(Field(senderPath.Length));
        var payloadBody = Field(messageBytes) + 1 + CodedOutputStream.ComputeInt32Size(701) + Field(1);
        var payload = Field(payloadBody);
        var envelopeBody = recipient + payload + sender + 1 + 8;
        var container = Field(envelopeBody);
        return 4 + container - messageBytes;
    }

    private static async Task<Burst> RunBurst(ActorSystem a, ActorSystem b, Address address, IActorRef senderRef, SignedEnvelope envelope, int messages, string name)
    {
        var warm = messages / 10;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var expected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        b.ActorOf(Props.Create(() => new Sink(warm, done)), name + "-warm");
        var warmRef = await a.ActorSelection(new RootActorPath(address) / "user" / (name + "-warm")).ResolveOne(TimeSpan.FromSeconds(10));
        for (var i = 0; i < warm; i++)
        {
            warmRef.Tell(envelope, senderRef);
        }
        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        b.ActorOf(Props.Create(() => new Sink(messages, expected)), name);
        var target = await a.ActorSelection(new RootActorPath(address) / "user" / name).ResolveOne(TimeSpan.FromSeconds(10));
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            target.Tell(envelope, senderRef);
        }
        await expected.Task.WaitAsync(TimeSpan.FromMinutes(5));
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new Burst(messages, envelope.CalculateSize(), messages / watch.Elapsed.TotalSeconds, cpu.TotalMicroseconds / messages);
    }
}
