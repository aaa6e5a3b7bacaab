using System.Diagnostics;
using GossipActors.Ledger;
using GossipActors.Node;
using Xunit;

namespace GossipActors.IntegrationTests.Ledger;

/// <summary>
/// A process committing blocks to a SQLite ledger as fast as it can is killed with SIGKILL, three times; each time the
/// ledger reopens with the hash chain intact, no gap, at (or after) the last height the process reported, and the
/// next run resumes there.
/// </summary>
public sealed class LedgerCrashSpec : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ledger-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void A_ledger_killed_with_SIGKILL_during_heavy_commits_reopens_intact_at_its_last_commit()
    {
        ulong reopenedAt = 0;
        for (var round = 1; round <= 3; round++)
        {
            var reported = KillWhileCommitting(atLeast: reopenedAt + 200);

            using var ledger = SqliteBlockLedger.Open(_dir, "ch");
            Assert.Null(ledger.CheckChain());
            Assert.True(ledger.Height >= reported, $"round {round}: reopened at {ledger.Height}, but the process had reported {reported}");
            Assert.True(ledger.Height >= reopenedAt + 200, $"round {round}: the run did not resume at {reopenedAt}");
            reopenedAt = ledger.Height;
        }
    }

    /// <summary>Runs the ledger-stress helper until it reports at least <paramref name="atLeast"/>, then SIGKILLs it; returns the last height it reported.</summary>
    private ulong KillWhileCommitting(ulong atLeast)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(NodeCommands).Assembly.Location, "ledger-stress", "--dir", _dir, "--batch", "8"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed child would leave its diagnostics IPC files in the temporary folder
        using var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        ulong reported = 0;
        var deadline = Stopwatch.StartNew();
        try
        {
            while (reported < atLeast)
            {
                var line = process.StandardOutput.ReadLine();
                Assert.True(line is not null, $"ledger-stress exited early (code {(process.HasExited ? process.ExitCode : -1)}) at {reported}");
                if (line!.StartsWith("height ", StringComparison.Ordinal))
                {
                    reported = ulong.Parse(line["height ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"ledger-stress reached only {reported} of {atLeast} in 2 minutes");
            }
        }
        finally
        {
            process.Kill(); // SIGKILL on Unix: no finaliser, no dispose, mid-transaction
            process.WaitForExit(10_000);
        }
        return reported;
    }
}
