using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Google.Protobuf;
using Xunit;

namespace GossipActors.Tests.Crypto;

public sealed class CertificateVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly CertificateAuthority _org1 = CertificateAuthority.Create("Org1", Now.AddDays(-10), Now.AddDays(365));
    private readonly CertificateAuthority _org2 = CertificateAuthority.Create("Org2", Now.AddDays(-10), Now.AddDays(365));
    private readonly CertificateVerifier _verifier;

    public CertificateVerifierTests() => _verifier = new CertificateVerifier([_org1.Certificate, _org2.Certificate]);

    public void Dispose()
    {
        _org1.Dispose();
        _org2.Dispose();
    }

    private ByteString PeerCertificate(CertificateAuthority ca, DateTimeOffset notBefore, DateTimeOffset notAfter, string name = "peer0.org1")
    {
        using var key = SigningKey.Generate();
        return ca.Issue(name, NodeRole.Peer, key.PublicKey, notBefore, notAfter).ToByteString();
    }

    [Fact]
    public void Valid_peer_certificate_passes_with_its_parsed_fields()
    {
        using var node = NodeIdentity.Issue(_org1, "peer0.org1", NodeRole.Peer, Now.AddDays(-1), Now.AddDays(30));

        var check = _verifier.Verify(node.Certificate.Bytes, Now);

        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(CertificateRejection.None, check.Reason);
        Assert.Equal("Org1", check.Certificate!.MspId);
        Assert.Equal("peer0.org1", check.Certificate.Name);
        Assert.Equal(NodeRole.Peer, check.Certificate.Role);
        Assert.Equal(node.PkiId, check.Certificate.PkiId);
        Assert.Equal(PkiId.FromCertificate(node.Certificate.Bytes.Span), check.Certificate.PkiId);
        Assert.Equal(["Org1", "Org2"], _verifier.Organisations);
    }

    [Fact]
    public void Certificate_claiming_org1_but_issued_by_org2s_ca_is_a_bad_issuer_signature()
    {
        using var key = SigningKey.Generate();
        var forged = new Certificate
        {
            Body = new CertificateBody
            {
                MspId = "Org1", Name = "peer9.org1", Role = NodeRole.Peer, PublicKey = ByteString.CopyFrom(key.PublicKey.ExportRaw()),
                NotBeforeUnixMs = Now.AddDays(-1).ToUnixTimeMilliseconds(), NotAfterUnixMs = Now.AddDays(1).ToUnixTimeMilliseconds(),
            }.ToByteString(),
        };
        forged.IssuerSignature = ByteString.CopyFrom(_org2.Key.Sign(forged.Body.Span));

        var check = _verifier.Verify(forged.ToByteString(), Now);

        Assert.Equal(CertificateRejection.BadIssuerSignature, check.Reason);
        Assert.Contains("peer9.org1", check.Detail);
        Assert.Contains("Org1", check.Detail);
    }

    [Fact]
    public void Certificate_from_an_untrusted_organisations_ca_is_an_unknown_organisation()
    {
        using var org3 = CertificateAuthority.Create("Org3", Now.AddDays(-1), Now.AddDays(10));

        var check = _verifier.Verify(PeerCertificate(org3, Now.AddDays(-1), Now.AddDays(1), "peer0.org3"), Now);

        Assert.False(check.IsValid);
        Assert.Equal(CertificateRejection.UnknownOrganisation, check.Reason);
        Assert.Contains("Org3", check.Detail);
    }

    [Fact]
    public void Expired_certificate_is_rejected_as_expired_and_naming_it()
    {
        var check = _verifier.Verify(PeerCertificate(_org1, Now.AddDays(-10), Now.AddDays(-1)), Now);

        Assert.Equal(CertificateRejection.Expired, check.Reason);
        Assert.Contains("peer0.org1", check.Detail);
    }

    [Fact]
    public void Certificate_valid_only_from_tomorrow_is_not_yet_valid()
    {
        var check = _verifier.Verify(PeerCertificate(_org1, Now.AddDays(1), Now.AddDays(10)), Now);

        Assert.Equal(CertificateRejection.NotYetValid, check.Reason);
    }

    [Fact]
    public void Validity_is_rechecked_on_every_call_even_when_the_signature_is_cached()
    {
        var bytes = PeerCertificate(_org1, Now.AddDays(-1), Now.AddDays(1));

        Assert.True(_verifier.Verify(bytes, Now).IsValid);
        Assert.Equal(1, _verifier.CachedCount);
        Assert.Equal(CertificateRejection.Expired, _verifier.Verify(bytes, Now.AddDays(2)).Reason);
        Assert.True(_verifier.Verify(bytes, Now).IsValid);
        Assert.Equal(1, _verifier.CachedCount);
    }

    [Fact]
    public void Equal_bytes_from_another_buffer_hit_the_cache()
    {
        var bytes = PeerCertificate(_org1, Now.AddDays(-1), Now.AddDays(1));

        var first = _verifier.Verify(bytes, Now);
        var again = _verifier.Verify(ByteString.CopyFrom(bytes.ToByteArray()), Now);

        Assert.True(again.IsValid);
        Assert.Same(first, again);
        Assert.Equal(1, _verifier.CachedCount);
    }

    [Fact]
    public void Certificate_whose_ca_has_expired_is_expired()
    {
        using var shortLived = CertificateAuthority.Create("Org9", Now.AddDays(-10), Now.AddDays(-5));
        var verifier = new CertificateVerifier([shortLived.Certificate]);

        var check = verifier.Verify(PeerCertificate(shortLived, Now.AddDays(-10), Now.AddDays(10), "peer0.org9"), Now);

        Assert.Equal(CertificateRejection.Expired, check.Reason);
        Assert.Contains("CA", check.Detail);
    }

    [Fact]
    public void Any_flipped_body_byte_is_rejected_and_never_accepted()
    {
        var certificate = Certificate.Parser.ParseFrom(PeerCertificate(_org1, Now.AddDays(-1), Now.AddDays(1)));
        var body = certificate.Body.ToByteArray();
        for (var i = 0; i < body.Length; i++)
        {
            var tampered = (byte[])body.Clone();
            tampered[i] ^= 0x01;
            var forged = new Certificate { Body = ByteString.CopyFrom(tampered), IssuerSignature = certificate.IssuerSignature };

            var check = _verifier.Verify(forged.ToByteString(), Now);

            Assert.False(check.IsValid, $"byte {i} flipped still verified");
        }
    }

    [Fact]
    public void Flipped_byte_in_the_name_is_a_bad_issuer_signature()
    {
        var certificate = Certificate.Parser.ParseFrom(PeerCertificate(_org1, Now.AddDays(-1), Now.AddDays(1)));
        var body = CertificateBody.Parser.ParseFrom(certificate.Body);
        body.Name = "peer1.org1";
        var forged = new Certificate { Body = body.ToByteString(), IssuerSignature = certificate.IssuerSignature };

        Assert.Equal(CertificateRejection.BadIssuerSignature, _verifier.Verify(forged.ToByteString(), Now).Reason);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })]
    public void Garbage_bytes_are_malformed(byte[] garbage)
    {
        var check = _verifier.Verify(ByteString.CopyFrom(garbage), Now);

        Assert.False(check.IsValid);
        Assert.Equal(CertificateRejection.Malformed, check.Reason);
        Assert.Null(check.Certificate);
    }

    [Fact]
    public void Oversized_certificate_is_malformed()
    {
        var check = _verifier.Verify(ByteString.CopyFrom(new byte[ParsedCertificate.MaxSize + 1]), Now);

        Assert.Equal(CertificateRejection.Malformed, check.Reason);
    }

    [Fact]
    public void Public_key_of_the_wrong_length_is_an_invalid_public_key()
    {
        var body = new CertificateBody
        {
            MspId = "Org1", Name = "peer0.org1", Role = NodeRole.Peer, PublicKey = ByteString.CopyFrom(new byte[31]),
            NotBeforeUnixMs = Now.AddDays(-1).ToUnixTimeMilliseconds(), NotAfterUnixMs = Now.AddDays(1).ToUnixTimeMilliseconds(),
        }.ToByteString();
        var certificate = new Certificate { Body = body, IssuerSignature = ByteString.CopyFrom(_org1.Key.Sign(body.Span)) };

        Assert.Equal(CertificateRejection.InvalidPublicKey, _verifier.Verify(certificate.ToByteString(), Now).Reason);
    }

    [Fact]
    public void The_ca_certificate_itself_is_not_accepted_as_a_node_identity()
    {
        Assert.Equal(CertificateRejection.InvalidRole, _verifier.Verify(_org1.Certificate.ToByteString(), Now).Reason);
    }

    [Fact]
    public void Cache_stays_within_its_capacity()
    {
        var verifier = new CertificateVerifier([_org1.Certificate], cacheCapacity: 3);
        var certificates = Enumerable.Range(0, 5).Select(i => PeerCertificate(_org1, Now.AddDays(-1), Now.AddDays(1), $"peer{i}.org1")).ToList();

        Assert.All(certificates, bytes => Assert.True(verifier.Verify(bytes, Now).IsValid));
        Assert.Equal(3, verifier.CachedCount);
        Assert.True(verifier.Verify(certificates[0], Now).IsValid);
    }

    [Fact]
    public void Two_cas_for_one_msp_id_are_refused_at_construction()
    {
        using var again = CertificateAuthority.Create("Org1", Now, Now.AddDays(1));

        var ex = Assert.Throws<ArgumentException>(() => new CertificateVerifier([_org1.Certificate, again.Certificate]));
        Assert.Contains("Org1", ex.Message);
    }

    [Fact]
    public void Ca_issues_only_peer_or_orderer_certificates()
    {
        using var key = SigningKey.Generate();
        Assert.Throws<ArgumentException>(() => _org1.Issue("x", NodeRole.Ca, key.PublicKey, Now, Now.AddDays(1)));
    }

    [Fact]
    public void Ca_reloaded_from_its_certificate_and_key_issues_certificates_the_verifier_accepts()
    {
        using var reloaded = CertificateAuthority.Load(_org1.Certificate, SigningKey.FromRawPrivateKey(_org1.Key.ExportRawPrivateKey()));

        Assert.Equal("Org1", reloaded.MspId);
        Assert.True(_verifier.Verify(PeerCertificate(reloaded, Now.AddDays(-1), Now.AddDays(1)), Now).IsValid);
        using var wrongKey = SigningKey.Generate();
        Assert.Throws<ArgumentException>(() => CertificateAuthority.Load(_org1.Certificate, wrongKey));
    }
}
