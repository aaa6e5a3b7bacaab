using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace GossipActors.Logging;

/// <summary>Hands the host's <see cref="ILoggerFactory"/> to <see cref="AkkaLogRouter"/> (added to the ActorSystemSetup).</summary>
public sealed class AkkaLogRouterSetup(ILoggerFactory loggerFactory) : Setup
{
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
}
