using GossipActors.Crypto;
using GossipActors.Protocol.Wire;
using Xunit;

namespace GossipActors.Tests.Crypto;

public sealed class CryptoDirectoryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "gossip-crypto-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private GeneratedCryptoMaterial Generate(DateTimeOffset? now = null) =>
        CryptoMaterialGenerator.Generate(_root, ["Org1", "Org2"], 2, "OrdererOrg", now ?? Now, TimeSpan.FromDays(365));

    [Fact]
    public void Generator_writes_a_ca_per_org_every_peer_and_the_orderer()
    {
        var material = Generate();

        // Per org: CA and TLS CA, a cert and a key each; per node (4 peers, 1 orderer): its key and cert, 3 signing CA
        // certs, 3 TLS CA certs, its TLS cert and key and its org's TLS CA.
        Assert.Equal((3 * 4) + (5 * 11), material.Files.Count);
        Assert.All(material.Files, file => Assert.True(File.Exists(file), file));
        foreach (var org in new[] { "Org1", "Org2", "OrdererOrg" })
        {
            Assert.True(File.Exists(Path.Combine(_root, org, "ca", "ca.cert")));
            Assert.True(File.Exists(Path.Combine(_root, org, "ca", "ca.key")));
        }
        Assert.True(File.Exists(Path.Combine(_root, "Org2", "peer1.org2", "node.key")));
        Assert.True(File.Exists(Path.Combine(_root, "OrdererOrg", "orderer0.ordererorg", "node.cert")));

        var directory = CryptoDirectory.Open(_root);
        Assert.Equal(["OrdererOrg", "Org1", "Org2"], directory.TrustedCas().Select(ca => ParsedCertificate.Parse(ca).MspId));
        Assert.Equal(
            [("OrdererOrg", "orderer0.ordererorg", NodeRole.Orderer), ("Org1", "peer0.org1", NodeRole.Peer), ("Org1", "peer1.org1", NodeRole.Peer),
             ("Org2", "peer0.org2", NodeRole.Peer), ("Org2", "peer1.org2", NodeRole.Peer)],
            directory.Nodes());
    }

    [Fact]
    public void Key_files_are_owner_only_and_key_directories_private()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var material = Generate();

        foreach (var key in material.Files.Where(file => file.EndsWith(".key", StringComparison.Ordinal)))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            if (!key.Contains(Path.DirectorySeparatorChar + "tls", StringComparison.Ordinal))
            {
                Assert.Equal(32, new FileInfo(key).Length); // raw Ed25519; TLS keys are PKCS#8 PEM
            }
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(Path.GetDirectoryName(key)!) & (UnixFileMode)0x1FF);
        }
    }

    [Fact]
    public void Second_run_on_the_same_directory_refuses_and_leaves_every_key_byte_identical()
    {
        var material = Generate();
        var before = material.Files.ToDictionary(file => file, File.ReadAllBytes);

        var ex = Assert.Throws<CryptoMaterialExistsException>(() => Generate());

        Assert.Contains(ex.ExistingFile, ex.Message);
        Assert.True(File.Exists(ex.ExistingFile));
        Assert.All(before, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
    }

    [Fact]
    public void Run_adding_an_org_to_an_existing_directory_refuses_before_writing_anything_new()
    {
        Generate();

        Assert.Throws<CryptoMaterialExistsException>(() =>
            CryptoMaterialGenerator.Generate(_root, ["Org3", "Org1"], 1, "OrdererOrg", Now, TimeSpan.FromDays(1)));
        Assert.False(Directory.Exists(Path.Combine(_root, "Org3")));
    }

    [Fact]
    public void Loaded_node_has_the_same_pki_id_on_every_reload_and_passes_the_directorys_verifier()
    {
        Generate();
        var directory = CryptoDirectory.Open(_root);

        using var first = directory.LoadNode("Org1", "peer0.org1");
        using var second = CryptoDirectory.Open(_root).LoadNode("Org1", "peer0.org1");

        Assert.Equal(first.PkiId, second.PkiId);
        Assert.Equal(PkiId.FromCertificate(File.ReadAllBytes(Path.Combine(_root, "Org1", "peer0.org1", "node.cert"))), first.PkiId);
        Assert.Equal("peer0.org1", first.Name);
        Assert.Equal("Org1", first.MspId);
        var check = directory.CreateVerifier().Verify(first.Certificate.Bytes, Now.AddDays(1));
        Assert.True(check.IsValid, check.Detail);
        var signature = first.Key.Sign([1, 2, 3]);
        Assert.True(second.Certificate.PublicKey.Verify([1, 2, 3], signature));
    }

    [Fact]
    public void Loaded_ca_issues_certificates_the_directorys_verifier_accepts()
    {
        Generate();
        var directory = CryptoDirectory.Open(_root);
        using var ca = directory.LoadCa("Org2");

        using var extra = NodeIdentity.Issue(ca, "peer7.org2", NodeRole.Peer, Now, Now.AddDays(1));

        Assert.True(directory.CreateVerifier().Verify(extra.Certificate.Bytes, Now).IsValid);
    }

    [Fact]
    public void Missing_node_or_directory_is_reported_with_its_path()
    {
        Assert.Contains(_root, Assert.Throws<DirectoryNotFoundException>(() => CryptoDirectory.Open(_root)).Message);
        Generate();
        var ex = Assert.Throws<FileNotFoundException>(() => CryptoDirectory.Open(_root).LoadNode("Org1", "peer9.org1"));
        Assert.Contains("peer9.org1", ex.Message);
    }

    [Fact]
    public void Key_file_swapped_for_another_nodes_key_is_refused()
    {
        Generate();
        var victim = Path.Combine(_root, "Org1", "peer0.org1", "node.key");
        File.Delete(victim);
        File.Copy(Path.Combine(_root, "Org1", "peer1.org1", "node.key"), victim);

        var ex = Assert.Throws<InvalidDataException>(() => CryptoDirectory.Open(_root).LoadNode("Org1", "peer0.org1"));
        Assert.Contains("peer0.org1", ex.Message);
    }

    [Theory]
    [InlineData("Org 1")]
    [InlineData("../evil")]
    [InlineData("")]
    public void Unsafe_org_names_are_refused(string org)
    {
        Assert.Throws<ArgumentException>(() =>
            CryptoMaterialGenerator.Generate(_root, [org], 1, "OrdererOrg", Now, TimeSpan.FromDays(1)));
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void Orderer_org_that_is_also_a_peer_org_is_refused()
    {
        Assert.Throws<ArgumentException>(() =>
            CryptoMaterialGenerator.Generate(_root, ["Org1", "org1"], 1, "OrdererOrg", Now, TimeSpan.FromDays(1)));
        Assert.Throws<ArgumentException>(() =>
            CryptoMaterialGenerator.Generate(_root, ["Org1"], 1, "Org1", Now, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_node_directory_holds_only_what_the_node_needs_and_no_CA_private_key()
    {
        Generate();
        var dir = Path.Combine(_root, "Org1", "peer0.org1");

        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order().ToList();

        Assert.Equal(
            ["cacerts/OrdererOrg.cert", "cacerts/Org1.cert", "cacerts/Org2.cert", "node.cert", "node.key",
             "tls/ca.crt", "tls/server.crt", "tls/server.key",
             "tlscacerts/OrdererOrg.pem", "tlscacerts/Org1.pem", "tlscacerts/Org2.pem"],
            files);
        var node = NodeDirectory.Open(dir);
        using var identity = node.LoadIdentity("Org1", "peer0.org1");
        Assert.Equal("peer0.org1", identity.Name);
        Assert.Equal(["OrdererOrg", "Org1", "Org2"], node.TrustedCas().Select(ca => ParsedCertificate.Parse(ca).MspId));
    }

    [Fact]
    public void A_node_directory_refuses_an_identity_of_another_name()
    {
        Generate();

        var ex = Assert.Throws<InvalidDataException>(() => NodeDirectory.Open(Path.Combine(_root, "Org1", "peer0.org1")).LoadIdentity("Org1", "peer1.org1"));

        Assert.Contains("peer0.org1", ex.Message);
    }

    [Fact]
    public void Each_node_TLS_certificate_is_issued_by_its_own_org_TLS_CA_and_by_no_other()
    {
        Generate(DateTimeOffset.UtcNow.AddMinutes(-1)); // X.509 chains are checked against the real clock
        var settings = new GossipActors.Configuration.TlsSettings
        {
            Enabled = true,
            CertFile = Path.Combine(_root, "Org2", "peer1.org2", "tls", "server.crt"),
            KeyFile = Path.Combine(_root, "Org2", "peer1.org2", "tls", "server.key"),
            RootCertFile = Path.Combine(_root, "Org2", "peer1.org2", "tls", "ca.crt"),
            ClientRootCAsFiles = [],
        };

        using var tls = TlsMaterial.Load(settings, Path.Combine(_root, "Org2", "peer1.org2"));

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal("Org2", TlsCertificateAuthority.Organisation(tls.Certificate));
        Assert.Equal(3, tls.AcceptedCas.Count);
        using var org1Ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(
            Path.Combine(_root, "Org1", "tlsca", "tlsca.crt"));
        Assert.True(GossipActors.Boundary.TlsTrust.IsIssuedBy(tls.Certificate, [tls.OwnOrgCa!], out _));
        Assert.False(GossipActors.Boundary.TlsTrust.IsIssuedBy(tls.Certificate, [org1Ca], out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void A_TLS_certificate_that_the_configured_root_did_not_issue_is_refused_at_load_naming_both_keys()
    {
        Generate(DateTimeOffset.UtcNow.AddMinutes(-1));
        var settings = new GossipActors.Configuration.TlsSettings
        {
            Enabled = true,
            CertFile = Path.Combine(_root, "Org2", "peer1.org2", "tls", "server.crt"),
            KeyFile = Path.Combine(_root, "Org2", "peer1.org2", "tls", "server.key"),
            RootCertFile = Path.Combine(_root, "Org1", "peer0.org1", "tls", "ca.crt"),
            ClientRootCAsFiles = [],
        };

        var ex = Assert.Throws<InvalidDataException>(() => TlsMaterial.Load(settings, Path.Combine(_root, "Org2", "peer1.org2")));

        Assert.Contains("peer.tls.cert.file", ex.Message);
        Assert.Contains("peer.tls.rootcert.file", ex.Message);
    }
}
