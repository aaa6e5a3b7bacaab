namespace GossipActors.Ordering;

/// <summary>
/// When a block is cut, named as in Fabric's channel configuration (Orderer.BatchSize and Orderer.BatchTimeout).
/// </summary>
/// <param name="MaxMessageCount">A block holds at most this many transactions.</param>
/// <param name="AbsoluteMaxBytes">A transaction above this size is refused at broadcast.</param>
/// <param name="PreferredMaxBytes">A block's transactions stay under this many bytes, except a single larger transaction, which gets a block of its own.</param>
/// <param name="BatchTimeout">A pending transaction waits at most this long for its block.</param>
public sealed record BatchLimits(int MaxMessageCount, int AbsoluteMaxBytes, int PreferredMaxBytes, TimeSpan BatchTimeout);
