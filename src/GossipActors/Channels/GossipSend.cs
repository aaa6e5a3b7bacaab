using GossipActors.Crypto;
using GossipActors.Protocol.Wire;

namespace GossipActors.Channels;

/// <summary>A message a core wants sent to one peer; the shell signs or wraps it and carries it out.</summary>
public readonly record struct GossipSend(PkiId Target, GossipMessage Message);
