using Akka.TestKit.Xunit2;
using Xunit;

namespace GossipActors.Tests.Support;

/// <summary>
/// A TestKit spec whose actor system runs with akka.actor.serialize-messages = on and a peer's gossip-system
/// serializers (<see cref="WireCheckedConfig"/>): what passes between the actors of this one process also crosses the
/// wire between processes. A message that failed to serialize (dropped by Akka) fails the spec at its end, named
/// (<see cref="SerializationFailureWatch"/>).
/// </summary>
public abstract class WireCheckedSpec : TestKit
{
    private readonly SerializationFailureWatch _serializationFailures;

    /// <param name="settings">Spec settings (HOCON), e.g. akka.test.timefactor and akka.loglevel.</param>
    /// <param name="systemName">The actor system's name (TestKit's default when null).</param>
    protected WireCheckedSpec(string settings, string? systemName = null) : base(WireCheckedConfig.With(settings), systemName) =>
        _serializationFailures = new SerializationFailureWatch(Sys);

    protected override void Dispose(bool disposing)
    {
        var failures = _serializationFailures.Failures;
        base.Dispose(disposing);
        Assert.True(failures.Count == 0, "Messages that failed to serialize:\n" + string.Join("\n", failures.Distinct()));
    }
}
