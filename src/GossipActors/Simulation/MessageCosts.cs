namespace GossipActors.Simulation;

/// <summary>
/// CPU and bytes of one gossip message, as the simulator charges them. The defaults were measured on the project's
/// 2-core machine (AMD EPYC, .NET 10, thread CPU time, 2026-11-30) by
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- wire-costs</c>, which prints these figures and the
/// matching simulator options; measure again on another machine and pass them.
/// </summary>
public sealed record MessageCosts
{
    /// <summary>Encode and Ed25519-sign a control message (every message but data messages and pull responses).</summary>
    public double SignUs { get; init; } = 20.1;

    /// <summary>Verify the Ed25519 signature of a received control message.</summary>
    public double VerifyUs { get; init; } = 62.5;

    /// <summary>Parse a received envelope and its payload: a fixed part and a part per KiB.</summary>
    public double DecodeUs { get; init; } = 0.4;
    public double DecodeUsPerKiB { get; init; } = 0.6;

    /// <summary>Verify one received block: the orderer's signature over its header and its data hash.</summary>
    public double BlockVerifyUs { get; init; } = 71.7;

    /// <summary>Akka.Remote per message, sender and receiver together (serializer, framing, socket, dispatch); half is
    /// charged to each side.</summary>
    public double AkkaUs { get; init; } = 34.3;
    public double AkkaUsPerKiB { get; init; } = 26.7;

    /// <summary>What Akka.Remote adds around a serialized envelope: frame length, recipient and sender paths,
    /// serializer id, manifest, sequence number.</summary>
    public int FrameOverheadBytes { get; init; } = 141;

    /// <summary>No CPU and no overhead: the model of the earlier simulator (links only).</summary>
    public static MessageCosts Free { get; } = new()
    {
        SignUs = 0, VerifyUs = 0, DecodeUs = 0, DecodeUsPerKiB = 0, BlockVerifyUs = 0, AkkaUs = 0, AkkaUsPerKiB = 0, FrameOverheadBytes = 0,
    };

    /// <summary>CPU at the sender for one copy on the wire of <paramref name="wireBytes"/> (signing is charged once per
    /// signed message, apart).</summary>
    public TimeSpan SendCost(int wireBytes) => Us(Akka(wireBytes) / 2);

    public TimeSpan SignCost => Us(SignUs);

    public TimeSpan VerifyCost => Us(VerifyUs);

    public TimeSpan BlockVerifyCost => Us(BlockVerifyUs);

    /// <summary>CPU at the receiver: its half of Akka, decode, the signature check if signed, each pushed block's
    /// verification (the blocks of a pull response are charged apart: only those wanted are verified).</summary>
    public TimeSpan ReceiveCost(int wireBytes, bool signed, int blocks) =>
        Us(Akka(wireBytes) / 2 + DecodeUs + DecodeUsPerKiB * wireBytes / 1024.0 + (signed ? VerifyUs : 0) + blocks * BlockVerifyUs);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new (string, double)[]
        {
            (nameof(SignUs), SignUs), (nameof(VerifyUs), VerifyUs), (nameof(DecodeUs), DecodeUs), (nameof(DecodeUsPerKiB), DecodeUsPerKiB),
            (nameof(BlockVerifyUs), BlockVerifyUs), (nameof(AkkaUs), AkkaUs), (nameof(AkkaUsPerKiB), AkkaUsPerKiB), (nameof(FrameOverheadBytes), FrameOverheadBytes),
        })
        {
            if (value < 0 || double.IsNaN(value))
            {
                problems.Add($"{name} = {value}: must be zero or more.");
            }
        }
        return problems;
    }

    private double Akka(int wireBytes) => AkkaUs + AkkaUsPerKiB * wireBytes / 1024.0;

    private static TimeSpan Us(double us) => TimeSpan.FromTicks((long)Math.Round(us * TimeSpan.TicksPerMicrosecond));
}
