using GossipActors.Crypto;
using GossipActors.Protocol;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Protocol;

public sealed class BlockVerifierTests : IDisposable
{
    private const string Channel = "mychannel";
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _ordererCa = CertificateAuthority.Create("OrdererOrg", Now.AddDays(-1), Now.AddDays(365));
    private readonly CertificateAuthority _org1 = CertificateAuthority.Create("Org1", Now.AddDays(-1), Now.AddDays(365));
    private readonly NodeIdentity _orderer;
    private readonly NodeIdentity _peer;
    private readonly BlockVerifier _verifier;

    public BlockVerifierTests()
    {
        _orderer = NodeIdentity.Issue(_ordererCa, "orderer0.ordererorg", NodeRole.Orderer, Now.AddDays(-1), Now.AddDays(30));
        _peer = NodeIdentity.Issue(_org1, "peer0.org1", NodeRole.Peer, Now.AddDays(-1), Now.AddDays(30));
        _verifier = new BlockVerifier(new CertificateVerifier([_ordererCa.Certificate, _org1.Certificate]), new HashSet<string> { "OrdererOrg" });
    }

    public void Dispose()
    {
        _orderer.Dispose();
        _peer.Dispose();
        _ordererCa.Dispose();
        _org1.Dispose();
    }

    private static ByteString[] Transactions(params string[] texts) => texts.Select(ByteString.CopyFromUtf8).ToArray();

    private Block Genesis(NodeIdentity? signer = null) => BlockFactory.Create(Channel, 0, ByteString.Empty, Transactions("tx-a", "tx-b"), signer ?? _orderer);

    [Fact]
    public void Block_cut_by_the_orderer_verifies_and_exposes_its_header()
    {
        var check = _verifier.Verify(Genesis(), Channel, Now);

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(BlockRejection.None, check.Reason);
        Assert.Equal(0UL, check.Header!.Number);
        Assert.Equal(Channel, check.Header.Channel);
        Assert.Equal(_orderer.PkiId, check.Orderer!.PkiId);
    }

    [Fact]
    public void Block_round_trips_through_bytes_and_still_verifies()
    {
        Assert.True(_verifier.Verify(Genesis().ToByteString(), Channel, Now).IsValid);
    }

    [Fact]
    public void Block_for_another_channel_is_wrong_channel()
    {
        var check = _verifier.Verify(Genesis(), "otherchannel", Now);

        Assert.Equal(BlockRejection.WrongChannel, check.Reason);
        Assert.Contains("otherchannel", check.Detail);
    }

    [Fact]
    public void Block_signed_by_a_peer_is_not_an_orderer()
    {
        var check = _verifier.Verify(Genesis(_peer), Channel, Now);

        Assert.Equal(BlockRejection.NotAnOrderer, check.Reason);
        Assert.Contains("peer0.org1", check.Detail);
    }

    [Fact]
    public void Block_whose_signature_comes_from_another_key_is_a_bad_orderer_signature()
    {
        var block = Genesis();
        block.Metadata.OrdererSignature = ByteString.CopyFrom(_peer.Key.Sign(block.HeaderBytes.Span));

        Assert.Equal(BlockRejection.BadOrdererSignature, _verifier.Verify(block, Channel, Now).Reason);
    }

    [Fact]
    public void Block_with_a_rewritten_header_is_a_bad_orderer_signature()
    {
        var block = Genesis();
        var header = BlockHeader.Parser.ParseFrom(block.HeaderBytes);
        header.Number = 5;
        block.HeaderBytes = header.ToByteString();

        Assert.Equal(BlockRejection.BadOrdererSignature, _verifier.Verify(block, Channel, Now).Reason);
    }

    [Fact]
    public void Block_with_tampered_transactions_is_a_bad_data_hash()
    {
        var replaced = Genesis();
        replaced.Data.Transactions[1] = ByteString.CopyFromUtf8("tx-evil");
        var moved = Genesis();
        moved.Data.Transactions.Clear();
        moved.Data.Transactions.Add(Transactions("tx-at", "x-b"));
        var dropped = Genesis();
        dropped.Data = null;

        Assert.Equal(BlockRejection.BadDataHash, _verifier.Verify(replaced, Channel, Now).Reason);
        Assert.Equal(BlockRejection.BadDataHash, _verifier.Verify(moved, Channel, Now).Reason);
        Assert.Equal(BlockRejection.BadDataHash, _verifier.Verify(dropped, Channel, Now).Reason);
    }

    [Fact]
    public void Block_from_an_untrusted_orderer_org_is_an_unknown_orderer()
    {
        using var rogueCa = CertificateAuthority.Create("RogueOrderers", Now.AddDays(-1), Now.AddDays(1));
        using var rogue = NodeIdentity.Issue(rogueCa, "orderer0.rogue", NodeRole.Orderer, Now.AddDays(-1), Now.AddDays(1));

        Assert.Equal(BlockRejection.UnknownOrderer, _verifier.Verify(Genesis(rogue), Channel, Now).Reason);
    }

    [Fact]
    public void Block_signed_with_an_expired_orderer_certificate_is_an_invalid_orderer_certificate()
    {
        var check = _verifier.Verify(Genesis(), Channel, Now.AddDays(31));

        Assert.Equal(BlockRejection.InvalidOrdererCertificate, check.Reason);
        Assert.Contains("expired", check.Detail);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x0A, 0x03, 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[0])]
    public void Garbage_bytes_are_malformed_without_throwing(byte[] garbage)
    {
        Assert.Equal(BlockRejection.Malformed, _verifier.Verify(ByteString.CopyFrom(garbage), Channel, Now).Reason);
    }

    [Fact]
    public void Block_without_metadata_is_malformed()
    {
        var block = Genesis();
        block.Metadata = null;

        Assert.Equal(BlockRejection.Malformed, _verifier.Verify(block, Channel, Now).Reason);
    }

    [Fact]
    public void Each_block_extends_the_chain_by_the_hash_of_the_previous_header()
    {
        var genesis = Genesis();
        var second = BlockFactory.Create(Channel, 1, BlockHashes.HeaderHash(genesis), Transactions("tx-c"), _orderer);
        var third = BlockFactory.Create(Channel, 2, BlockHashes.HeaderHash(second), Transactions("tx-d"), _orderer);
        var fork = BlockFactory.Create(Channel, 2, BlockHashes.HeaderHash(genesis), Transactions("tx-e"), _orderer);
        var skip = BlockFactory.Create(Channel, 2, BlockHashes.HeaderHash(genesis), Transactions("tx-f"), _orderer);

        Assert.True(BlockVerifier.ExtendsChain(genesis, second));
        Assert.True(BlockVerifier.ExtendsChain(second, third));
        Assert.False(BlockVerifier.ExtendsChain(second, fork));
        Assert.False(BlockVerifier.ExtendsChain(genesis, skip));
        Assert.False(BlockVerifier.ExtendsChain(genesis, third));
        Assert.True(BlockVerifier.ExtendsChain(1, BlockHashes.HeaderHash(second), _verifier.Verify(third, Channel, Now).Header!));
        Assert.Equal(32, BlockHashes.HeaderHash(genesis).Length);
    }

    [Fact]
    public void Data_hash_is_length_prefixed_so_moving_bytes_between_transactions_changes_it()
    {
        var a = new BlockData { Transactions = { Transactions("ab", "c") } };
        var b = new BlockData { Transactions = { Transactions("a", "bc") } };

        Assert.NotEqual(BlockHashes.DataHash(a), BlockHashes.DataHash(b));
        Assert.Equal(BlockHashes.DataHash(new BlockData()), BlockHashes.DataHash(null));
    }
}
