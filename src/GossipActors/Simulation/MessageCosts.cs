namespace GossipActors.Simulation;

/// <summary>
/// CPU and bytes of one gossip message, and the ledger's storage cost, as the simulator charges them. The per-message
/// defaults were measured on the project's 2-core machine (AMD EPYC, .NET 10, thread CPU time, 2026-11-30) by
/// <c>dotnet run -c Release --project src/GossipActors.Benchmarks -- wire-costs</c>, the storage and session-MAC
/// defaults by <c>-- load-costs</c> and <c>-- mac-vs-signature</c>; measure again on another machine and pass them.
/// Every cost is in CPU time of a quiet core; <see cref="CpuStretch"/> stretches them all for a loaded machine.
/// </summary>
public sealed record MessageCosts
{
    /// <summary>Encode and Ed25519-sign a signed message (state info and its pull, state-transfer requests).</summary>
    public double SignUs { get; init; } = 20.1;

    /// <summary>Verify the Ed25519 signature of a received signed message.</summary>
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

    /// <summary>Session MAC (HMAC-SHA256) that comm puts on every envelope, sealed by the sender and opened by the
    /// receiver (each side pays this): a fixed part and a part per KiB (docs/comm-security.md: about 1 µs on a digest,
    /// 3–4 µs on 4 KiB). Data, digests, pull and state-transfer responses carry only the MAC, no signature.</summary>
    public double MacUs { get; init; } = 0.9;
    public double MacUsPerKiB { get; init; } = 0.55;

    /// <summary>What Akka.Remote adds around a serialized envelope: frame length, recipient and sender paths,
    /// serializer id, manifest, sequence number.</summary>
    public int FrameOverheadBytes { get; init; } = 141;

    /// <summary>Ledger write (one SQLite transaction, WAL, synchronous=NORMAL) per batch, and per block per KiB, on the
    /// peer's ledger actor (thread CPU; <c>load-costs</c> at load average 25: 213 µs for a batch of one 4 KB block,
    /// 342 µs for ten, so 198 µs per transaction and 3.6 µs per KiB).</summary>
    public double StoreUsPerBatch { get; init; } = 198;
    public double StoreUsPerKiB { get; init; } = 3.6;

    /// <summary>Reading blocks from the ledger to serve a state-transfer request, per KiB of block (<c>load-costs</c>:
    /// 89 µs for ten 4 KB blocks).</summary>
    public double ReadUsPerKiB { get; init; } = 2.2;

    /// <summary>
    /// The machine's load: every CPU and storage cost is multiplied by this (1 = a quiet core). On a machine whose load
    /// average L exceeds its C cores a runnable thread gets about C/L of a core; <c>load-costs</c> measures it directly
    /// as wall time over thread CPU time of a CPU-bound step.
    /// </summary>
    public double CpuStretch { get; init; } = 1;

    /// <summary>No CPU, no storage and no overhead: the model of the earlier simulator (links only).</summary>
    public static MessageCosts Free { get; } = new()
    {
        SignUs = 0, VerifyUs = 0, DecodeUs = 0, DecodeUsPerKiB = 0, BlockVerifyUs = 0, AkkaUs = 0, AkkaUsPerKiB = 0, MacUs = 0, MacUsPerKiB = 0,
        FrameOverheadBytes = 0, StoreUsPerBatch = 0, StoreUsPerKiB = 0, ReadUsPerKiB = 0,
    };

    /// <summary>CPU at the sender for one copy on the wire of <paramref name="wireBytes"/>: its half of Akka and the
    /// session MAC (signing is charged once per signed message, apart).</summary>
    public TimeSpan SendCost(int wireBytes) => Us(Akka(wireBytes) / 2 + Mac(wireBytes));

    public TimeSpan SignCost => Us(SignUs);

    public TimeSpan VerifyCost => Us(VerifyUs);

    public TimeSpan BlockVerifyCost => Us(BlockVerifyUs);

    /// <summary>CPU at the receiver: its half of Akka, the MAC check, decode, the signature check if signed, each
    /// pushed block's verification (the blocks of pull and state-transfer responses are charged apart: only those
    /// wanted are verified).</summary>
    public TimeSpan ReceiveCost(int wireBytes, bool signed, int blocks) =>
        Us(Akka(wireBytes) / 2 + Mac(wireBytes) + DecodeUs + DecodeUsPerKiB * wireBytes / 1024.0 + (signed ? VerifyUs : 0) + blocks * BlockVerifyUs);

    /// <summary>The ledger actor writing <paramref name="blocks"/> blocks of <paramref name="blockBytes"/> in one transaction.</summary>
    public TimeSpan StoreCost(int blocks, int blockBytes) => Us(StoreUsPerBatch + StoreUsPerKiB * blocks * blockBytes / 1024.0);

    /// <summary>The ledger actor reading <paramref name="blocks"/> blocks of <paramref name="blockBytes"/> to serve them.</summary>
    public TimeSpan ReadCost(int blocks, int blockBytes) => Us(ReadUsPerKiB * blocks * blockBytes / 1024.0);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new (string, double)[]
        {
            (nameof(SignUs), SignUs), (nameof(VerifyUs), VerifyUs), (nameof(DecodeUs), DecodeUs), (nameof(DecodeUsPerKiB), DecodeUsPerKiB),
            (nameof(BlockVerifyUs), BlockVerifyUs), (nameof(AkkaUs), AkkaUs), (nameof(AkkaUsPerKiB), AkkaUsPerKiB), (nameof(MacUs), MacUs),
            (nameof(MacUsPerKiB), MacUsPerKiB), (nameof(FrameOverheadBytes), FrameOverheadBytes), (nameof(StoreUsPerBatch), StoreUsPerBatch),
            (nameof(StoreUsPerKiB), StoreUsPerKiB), (nameof(ReadUsPerKiB), ReadUsPerKiB),
        })
        {
            if (value < 0 || double.IsNaN(value))
            {
                problems.Add($"{name} = {value}: must be zero or more.");
            }
        }
        if (CpuStretch < 1 || double.IsNaN(CpuStretch))
        {
            problems.Add($"{nameof(CpuStretch)} = {CpuStretch}: must be 1 (a quiet core) or more.");
        }
        return problems;
    }

    private double Akka(int wireBytes) => AkkaUs + AkkaUsPerKiB * wireBytes / 1024.0;

    private double Mac(int wireBytes) => MacUs + MacUsPerKiB * wireBytes / 1024.0;

    private TimeSpan Us(double us) => TimeSpan.FromTicks((long)Math.Round(us * CpuStretch * TimeSpan.TicksPerMicrosecond));
}
