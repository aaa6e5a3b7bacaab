namespace GossipActors.Operations;

/// <summary>The JSON document an orderer serves at /status (docs/operations.md, docs/orderer-status.schema.json).</summary>
/// <param name="Id">orderer.General.Id.</param>
/// <param name="MspId">orderer.General.LocalMSPID: the organisation whose signature its blocks carry.</param>
/// <param name="Channels">Every served channel with its chain height, by name.</param>
public sealed record OrdererNodeStatus(string Id, string MspId, IReadOnlyList<OrdererChannelStatus> Channels);

/// <param name="Height">Blocks in the channel's chain (the next block's number).</param>
public sealed record OrdererChannelStatus(string Name, ulong Height);
