using GossipActors.Crypto;
using Google.Protobuf;

namespace GossipActors.Ledger;

// ---- channel actor -> ledger actor ----

/// <summary>Append these blocks (in order, chain-checked by the channel) in one transaction. Reply: <see cref="BlocksWritten"/>.</summary>
public sealed record WriteBlocks(IReadOnlyList<LedgerBlock> Blocks) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>
/// Serve a state-transfer request: read blocks From..To (inclusive, committed ones only, at most
/// <paramref name="MaxBytes"/> in total) and send them to <paramref name="Requester"/> through comm as a
/// state-transfer response carrying <paramref name="Nonce"/>. Reply to the channel: <see cref="RangeServed"/>.
/// </summary>
public sealed record ServeRange(PkiId Requester, ulong Nonce, ulong From, ulong To, long MaxBytes) : Akka.Actor.INoSerializationVerificationNeeded;

// ---- ledger actor -> channel actor ----

/// <summary>The ledger now holds <paramref name="Height"/> blocks; <paramref name="Written"/> of them came with the last write.</summary>
public sealed record BlocksWritten(ulong Height, ByteString LastHash, int Written, TimeSpan Took) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A state-transfer request was answered with <paramref name="Blocks"/> blocks (0: we had none of them).</summary>
public sealed record RangeServed(PkiId Requester, int Blocks) : Akka.Actor.INoSerializationVerificationNeeded;
