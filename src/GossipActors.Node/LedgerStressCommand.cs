using System.CommandLine;
using GossipActors.Crypto;
using GossipActors.Ledger;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Node;

/// <summary>
/// <c>gossip-node ledger-stress</c> (hidden; a test helper): commits blocks to a channel's SQLite ledger in a loop,
/// in batches, as the ledger actor does, resuming at the ledger's height, and prints <c>height N</c> after each batch.
/// The crash test kills it with SIGKILL mid-loop and checks that the ledger reopens intact at its last commit.
/// </summary>
internal static class LedgerStressCommand
{
    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "Directory of the ledger.", Required = true };
        var channel = new Option<string>("--channel") { Description = "Channel name.", DefaultValueFactory = _ => "ch" };
        var blocks = new Option<int>("--blocks") { Description = "Blocks to commit (then exit).", DefaultValueFactory = _ => 1_000_000 };
        var batch = new Option<int>("--batch") { Description = "Blocks per transaction.", DefaultValueFactory = _ => 8 };
        var blockBytes = new Option<int>("--block-bytes") { Description = "Transaction bytes per block.", DefaultValueFactory = _ => 16 * 1024 };
        var command = new Command("ledger-stress", "Test helper: commit blocks to a SQLite ledger in a loop, printing the height.")
        {
            dir, channel, blocks, batch, blockBytes,
        };
        command.Hidden = true;
        command.SetAction(result =>
        {
            var now = DateTimeOffset.UtcNow;
            using var ca = CertificateAuthority.Create("OrdererOrg", now.AddDays(-1), now.AddDays(1));
            using var orderer = NodeIdentity.Issue(ca, "orderer0", NodeRole.Orderer, now.AddDays(-1), now.AddDays(1));
            using var ledger = SqliteBlockLedger.Open(result.GetValue(dir)!, result.GetValue(channel)!);
            var random = new Random();
            var payload = new byte[result.GetValue(blockBytes)];
            var end = ledger.Height + (ulong)result.GetValue(blocks);
            Console.WriteLine($"height {ledger.Height}");
            while (ledger.Height < end)
            {
                var next = new List<LedgerBlock>();
                var previous = ledger.LastHash;
                for (var number = ledger.Height; next.Count < result.GetValue(batch) && number < end; number++)
                {
                    random.NextBytes(payload);
                    var block = BlockFactory.Create(ledger.Channel, number, previous, [ByteString.CopyFrom(payload)], orderer);
                    next.Add(LedgerBlock.From(block)!);
                    previous = next[^1].Hash;
                }
                ledger.AppendBatch(next);
                Console.WriteLine($"height {ledger.Height}");
            }
            return 0;
        });
        return command;
    }
}
