using Akka.Configuration;

namespace GossipActors.Configuration;

/// <summary>
/// One size limit for gossip traffic: peer.gossip.maxMessageSize. The wire serializer's max-envelope-bytes is derived
/// from it (the peer's Akka configuration sets it, see AkkaNodeConfig), and Akka.Remote's frame must hold it with room
/// for Akka's own envelope. Checked once, at start, with the configuration's akka.* keys.
/// </summary>
public static class MessageSizeLimit
{
    public const string MaxMessageSizeKey = "peer.gossip.maxMessageSize";
    public const string EnvelopeKey = "akka.actor.serialization-settings.gossip-wire.max-envelope-bytes";
    public const string FrameKey = "akka.remote.dot-netty.tcp.maximum-frame-size";

    /// <summary>Room an Akka.Remote frame needs around the envelope (recipient and sender paths, serializer id, manifest).</summary>
    public const int FrameOverhead = 64 * 1024;

    internal static void Check(SettingsReader r, int maxMessageSize)
    {
        var config = r.Config;
        if (ByteSize(config, EnvelopeKey) is { } envelope && envelope != maxMessageSize
            && envelope != ByteSize(ReferenceConfig.Load(), EnvelopeKey))
        {
            r.Report(new SettingsProblem($"{MaxMessageSizeKey}, {EnvelopeKey}", $"{maxMessageSize}, {envelope}", "must agree")
            {
                Message = $"{MaxMessageSizeKey} = {maxMessageSize} and {EnvelopeKey} = {envelope} disagree: there is one size limit "
                          + $"for gossip messages; set only {MaxMessageSizeKey} (max-envelope-bytes is derived from it), or both to the same value",
            });
        }

        if (ByteSize(config, FrameKey) is { } frame && frame < (long)maxMessageSize + FrameOverhead)
        {
            r.Report(new SettingsProblem($"{MaxMessageSizeKey}, {FrameKey}", $"{maxMessageSize}, {frame}", "must leave room for Akka's frame")
            {
                Message = $"{FrameKey} = {frame} cannot carry a message of {MaxMessageSizeKey} = {maxMessageSize}: the frame must be at "
                          + $"least {(long)maxMessageSize + FrameOverhead} bytes (the message plus {FrameOverhead} for Akka's envelope); "
                          + $"raise the frame size or lower {MaxMessageSizeKey}",
            });
        }
    }

    private static long? ByteSize(Config config, string key) => config.HasPath(key) ? config.GetByteSize(key) : null;
}
