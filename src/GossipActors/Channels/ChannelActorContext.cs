using Akka.Actor;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol;
using Prometheus;

namespace GossipActors.Channels;

/// <summary>What every channel actor of a peer is built with, besides its channel's options.</summary>
/// <param name="Incarnation">The peer's incarnation (changes on every process start); state info carries it.</param>
/// <param name="ExternalEndpoint">Whether this peer has an external endpoint: only then does state info go to other orgs.</param>
/// <param name="OpenLedger">Opens the channel's ledger; called on every (re)start, the ledger is disposed on stop.</param>
/// <param name="Metrics">The peer's Prometheus registry (/metrics).</param>
public sealed record ChannelActorContext(
    NodeIdentity Identity,
    ulong Incarnation,
    bool ExternalEndpoint,
    IActorRef Comm,
    IActorRef Membership,
    BlockVerifier Verifier,
    Func<string, IBlockLedger> OpenLedger,
    TimeProvider Time,
    Random Random,
    CollectorRegistry Metrics);
