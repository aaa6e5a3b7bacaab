using System.Diagnostics;

namespace GossipActors.Node.Network;

/// <summary>How a run drives the network.</summary>
/// <param name="Blocks">Blocks measured (after the warm-up).</param>
/// <param name="WarmUpBlocks">Blocks cut and awaited at every peer before measuring (deliver streams open, caches warm).</param>
/// <param name="BlocksPerSecond">Pace of submission: one block's worth of transactions every 1/BlocksPerSecond.</param>
/// <param name="TransactionBytes">Size of each submitted transaction.</param>
/// <param name="Timeout">The whole run, from start to every peer at the target height.</param>
/// <param name="WaitForLeaders">Wait until each org has a leader before submitting (block gossip on).</param>
internal sealed record RunPlan(int Blocks, int WarmUpBlocks, double BlocksPerSecond, int TransactionBytes, TimeSpan Timeout, bool WaitForLeaders);

/// <summary>How a run ended.</summary>
internal enum RunOutcome
{
    Reached,
    TimedOut,
    NodeExited,
    SubmitFailed,
    Cancelled,
}

/// <param name="Detail">For anything but <see cref="RunOutcome.Reached"/>: what went wrong, naming nodes and log files.</param>
/// <param name="Target">The height every peer had to reach.</param>
internal sealed record RunResult(RunOutcome Outcome, string Detail, ulong Target, RunSummary? Summary, LiveViewModel? Last);

/// <summary>
/// One measured run on a started <see cref="NetworkSession"/>: wait until the network is ready (every peer answers and
/// knows every other; leaders elected when block gossip is on), cut warm-up blocks, then read counters, submit
/// <see cref="RunPlan.Blocks"/> blocks at a steady pace while polling every peer for the live view, and when every
/// peer has the target height read counters and recent blocks again and reduce them to a <see cref="RunSummary"/>.
/// </summary>
internal static class NetworkRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<RunResult> RunAsync(NetworkSession session, RunPlan plan, IRunView view, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(plan.Timeout);
        var token = deadline.Token;
        var peers = session.Network.Peers.Count();
        LiveViewModel? last = null;
        ulong target = 0;
        try
        {
            session.StartClient();
            view.Note($"waiting for {peers} peers to know each other{(plan.WaitForLeaders ? " and elect their leaders" : "")} ...");
            while (true)
            {
                last = LiveViewModel.Of(await session.PeersAsync(token), 0, clock.Elapsed, await session.OrdererHeightAsync(token));
                view.Show(last);
                if (Ready(last, peers, plan.WaitForLeaders))
                {
                    break;
                }
                if (Failed(session) is { } exited)
                {
                    return exited with { Last = last };
                }
                await Task.Delay(PollInterval, token);
            }

            var start = await session.OrdererHeightAsync(token) ?? last.Peers.Max(p => p.Height);
            if (plan.WarmUpBlocks > 0)
            {
                view.Note($"warm-up: {plan.WarmUpBlocks} blocks from height {start}");
                var warm = start + (ulong)plan.WarmUpBlocks;
                for (var i = 0; i < plan.WarmUpBlocks; i++)
                {
                    if (await session.SubmitBlockAsync(plan.TransactionBytes) is { } refused)
                    {
                        return new RunResult(RunOutcome.SubmitFailed, refused, warm, null, last);
                    }
                }
                var (reached, lastWarm) = await PollUntilAsync(session, warm, clock, view, token);
                last = lastWarm;
                if (reached is not null)
                {
                    return reached;
                }
                start = warm;
            }

            target = start + (ulong)plan.Blocks;
            var before = await session.ReadCountersAsync(token);
            view.Note($"submitting {plan.Blocks} blocks ({session.TransactionsPerBlock} transactions of {plan.TransactionBytes} bytes each) at {plan.BlocksPerSecond:0.##} blocks/s; target height {target}");
            var submitting = SubmitPacedAsync(session, plan, token);
            var (failed, lastRun) = await PollUntilAsync(session, target, clock, view, token, submitting);
            last = lastRun;
            if (failed is not null)
            {
                return failed;
            }
            var after = await session.ReadCountersAsync(token);
            var unread = new List<string>();
            var blocks = await session.BlocksAsync(unread, token);
            foreach (var failure in unread)
            {
                view.Note($"could not read the recent blocks of {failure}: its commits are unknown, so no block counts as committed at every peer");
            }
            var numbers = Enumerable.Range(0, plan.Blocks).Select(i => start + (ulong)i).ToList();
            return new RunResult(RunOutcome.Reached, "", target, RunSummary.From(after.Minus(before, numbers, blocks)), last);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return new RunResult(RunOutcome.TimedOut, TimedOutDetail(last, target, plan.Timeout, session), target, null, last);
        }
        catch (OperationCanceledException)
        {
            return new RunResult(RunOutcome.Cancelled, "interrupted", target, null, last);
        }
    }

    /// <summary>Every peer answers and knows every other peer; with <paramref name="leaders"/>, each org has a leader.</summary>
    public static bool Ready(LiveViewModel model, int peers, bool leaders) =>
        model.Peers.Count == peers && model.Peers.All(p => p.Up && p.Members >= peers - 1)
        && (!leaders || model.Peers.GroupBy(p => p.Org).All(org => org.Any(p => p.IsLeader)));

    private static async Task<(RunResult? Failed, LiveViewModel Last)> PollUntilAsync(NetworkSession session, ulong target, Stopwatch clock,
        IRunView view, CancellationToken token, Task<string?>? submitting = null)
    {
        while (true)
        {
            var model = LiveViewModel.Of(await session.PeersAsync(token), target, clock.Elapsed, await session.OrdererHeightAsync(token));
            view.Show(model);
            if (model.Done)
            {
                return (null, model);
            }
            if (Failed(session) is { } exited)
            {
                return (exited with { Target = target, Last = model }, model);
            }
            if (submitting is { IsCompleted: true } && await submitting is { } refused)
            {
                return (new RunResult(RunOutcome.SubmitFailed, refused, target, null, model), model);
            }
            await Task.Delay(PollInterval, token);
        }
    }

    private static async Task<string?> SubmitPacedAsync(NetworkSession session, RunPlan plan, CancellationToken token)
    {
        var interval = TimeSpan.FromSeconds(1 / Math.Max(plan.BlocksPerSecond, 0.001));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < plan.Blocks; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, token);
            }
            if (await session.SubmitBlockAsync(plan.TransactionBytes) is { } refused)
            {
                return refused;
            }
        }
        return null;
    }

    private static RunResult? Failed(NetworkSession session) =>
        session.Exited is { } child
            ? new RunResult(RunOutcome.NodeExited, $"{child.Name} exited with code {child.Exited.Result}; see {child.OutputLog} and {child.ErrorLog}", 0, null, null)
            : null;

    private static string TimedOutDetail(LiveViewModel? last, ulong target, TimeSpan timeout, NetworkSession session)
    {
        var phase = target == 0 ? "the peers were not ready (knowing each other, leaders elected)" : $"not every peer reached height {target}";
        var behind = last is null
            ? ""
            : ": " + string.Join(", ", last.Peers.Where(p => !p.Up || p.Height < target || target == 0)
                .Select(p => p.Up ? $"{p.Name} at height {p.Height}, knows {p.Members} peers{(p.IsLeader ? ", leader" : "")}" : $"{p.Name} not answering"));
        return $"{phase} within {timeout.TotalSeconds:F0} s{behind}. Logs: {session.Network.LogDirectory}";
    }
}
