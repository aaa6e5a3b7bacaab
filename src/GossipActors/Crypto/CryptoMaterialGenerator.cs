using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using GossipActors.Protocol.Wire;
using Google.Protobuf;

namespace GossipActors.Crypto;

/// <summary>What <see cref="CryptoMaterialGenerator.Generate"/> wrote: every file, and the nodes.</summary>
public sealed record GeneratedCryptoMaterial(
    string Directory,
    IReadOnlyList<string> Files,
    IReadOnlyList<(string MspId, string Name, NodeRole Role)> Nodes);

/// <summary>
/// Writes a <see cref="CryptoDirectory"/>: per organisation a signing CA (<c>ca/</c>), a TLS CA (<c>tlsca/</c>) and
/// its peers (<c>peer{i}.{org lower case}</c>); for the orderer organisation the same with orderers
/// (<c>orderer{i}.{org lower case}</c>). Each node gets a directory (<see cref="NodeDirectory"/>) with only what it needs:
/// its signing key and certificate, its TLS key and certificate, and the CA certificates of every organisation
/// generated here; the CA private keys stay in <c>ca/</c> and <c>tlsca/</c>. The MSP id is the organisation name exactly
/// as given. Never overwrites: if any file it would write exists, it writes nothing and
/// throws <see cref="CryptoMaterialExistsException"/>; files are created with CreateNew, so a race cannot overwrite either.
/// </summary>
public static partial class CryptoMaterialGenerator
{
    private const UnixFileMode KeyFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode CertificateFileMode = KeyFileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public static GeneratedCryptoMaterial Generate(string dir, IReadOnlyList<string> orgs, int peersPerOrg, string ordererOrg,
        DateTimeOffset now, TimeSpan validity, int orderers = 1)
    {
        var plan = Plan(dir, orgs, peersPerOrg, ordererOrg, orderers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validity, TimeSpan.Zero);
        var root = Path.GetFullPath(dir);
        var existing = plan.SelectMany(org => FilesOf(root, org)).FirstOrDefault(File.Exists);
        if (existing is not null)
        {
            throw new CryptoMaterialExistsException(existing);
        }

        var notAfter = now + validity;
        var files = new List<string>();
        var nodes = new List<(string, string, NodeRole)>();
        CreatePrivateDirectory(root);
        var cas = new List<CertificateAuthority>();
        var tlsCas = new List<TlsCertificateAuthority>();
        try
        {
            foreach (var org in plan)
            {
                CreatePrivateDirectory(Path.Combine(root, org.MspId));
                CreatePrivateDirectory(Path.Combine(root, org.MspId, CryptoDirectory.CaDirectory));
                CreatePrivateDirectory(Path.Combine(root, org.MspId, CryptoDirectory.TlsCaDirectory));
                var ca = CertificateAuthority.Create(org.MspId, now, notAfter);
                cas.Add(ca);
                WriteKey(CryptoDirectory.CaKeyPath(root, org.MspId), ca.Key, files);
                WriteCertificate(CryptoDirectory.CaCertificatePath(root, org.MspId), ca.Certificate, files);
                var tlsCa = TlsCertificateAuthority.Create(org.MspId, now, notAfter);
                tlsCas.Add(tlsCa);
                WriteText(CryptoDirectory.TlsCaKeyPath(root, org.MspId), tlsCa.Certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), KeyFileMode, files);
                WriteText(CryptoDirectory.TlsCaCertificatePath(root, org.MspId), tlsCa.Certificate.ExportCertificatePem(), CertificateFileMode, files);
            }
            foreach (var (org, ca, tlsCa) in plan.Zip(cas, tlsCas))
            {
                foreach (var name in org.Nodes)
                {
                    WriteNode(Path.Combine(root, org.MspId, name), name, org.Role, ca, tlsCa, cas, tlsCas, now, notAfter, files);
                    nodes.Add((org.MspId, name, org.Role));
                }
            }
        }
        finally
        {
            cas.ForEach(ca => ca.Dispose());
            tlsCas.ForEach(ca => ca.Dispose());
        }
        return new GeneratedCryptoMaterial(root, files, nodes);
    }

    /// <summary>One node's directory (the node's mspConfigPath): see <see cref="NodeDirectory"/>.</summary>
    private static void WriteNode(string dir, string name, NodeRole role, CertificateAuthority ca, TlsCertificateAuthority tlsCa,
        IReadOnlyList<CertificateAuthority> trusted, IReadOnlyList<TlsCertificateAuthority> trustedTls,
        DateTimeOffset now, DateTimeOffset notAfter, List<string> files)
    {
        CreatePrivateDirectory(dir);
        using var key = SigningKey.Generate();
        WriteKey(Path.Combine(dir, NodeDirectory.KeyFile), key, files);
        WriteCertificate(Path.Combine(dir, NodeDirectory.CertificateFile), ca.Issue(name, role, key.PublicKey, now, notAfter), files);
        CreatePrivateDirectory(Path.Combine(dir, NodeDirectory.CaCertsDirectory));
        foreach (var other in trusted)
        {
            WriteCertificate(Path.Combine(dir, NodeDirectory.CaCertsDirectory, other.MspId + NodeDirectory.CaCertExtension), other.Certificate, files);
        }
        CreatePrivateDirectory(Path.Combine(dir, NodeDirectory.TlsCaCertsDirectory));
        foreach (var other in trustedTls)
        {
            WriteText(Path.Combine(dir, NodeDirectory.TlsCaCertsDirectory, other.MspId + NodeDirectory.PemExtension),
                other.Certificate.ExportCertificatePem(), CertificateFileMode, files);
        }
        CreatePrivateDirectory(Path.Combine(dir, NodeDirectory.TlsDirectory));
        using var tls = tlsCa.Issue(name, now, notAfter);
        WriteText(Path.Combine(dir, NodeDirectory.TlsDirectory, NodeDirectory.TlsKeyFile), tls.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(), KeyFileMode, files);
        WriteText(Path.Combine(dir, NodeDirectory.TlsDirectory, NodeDirectory.TlsCertificateFile), tls.ExportCertificatePem(), CertificateFileMode, files);
        WriteText(Path.Combine(dir, NodeDirectory.TlsDirectory, NodeDirectory.TlsRootCertificateFile), tlsCa.Certificate.ExportCertificatePem(), CertificateFileMode, files);
    }

    private sealed record OrgPlan(string MspId, NodeRole Role, IReadOnlyList<string> Nodes);

    private static List<OrgPlan> Plan(string dir, IReadOnlyList<string> orgs, int peersPerOrg, string ordererOrg, int orderers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dir);
        ArgumentNullException.ThrowIfNull(orgs);
        ArgumentOutOfRangeException.ThrowIfLessThan(peersPerOrg, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(orderers, 1);
        if (orgs.Count == 0)
        {
            throw new ArgumentException("At least one peer organisation is needed.", nameof(orgs));
        }
        var all = orgs.Append(ordererOrg).ToArray();
        foreach (var org in all)
        {
            if (string.IsNullOrEmpty(org) || !OrgName().IsMatch(org))
            {
                throw new ArgumentException($"Organisation name '{org}' is not allowed: use letters, digits, '.', '-' or '_' (1-64 characters, starting with a letter or digit).", nameof(orgs));
            }
        }
        var duplicate = all.GroupBy(org => org, StringComparer.OrdinalIgnoreCase).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Organisation '{duplicate.Key}' is named twice (names are compared ignoring case; the orderer organisation must differ from the peer organisations).", nameof(orgs));
        }
        var plan = orgs.Select(org => new OrgPlan(org, NodeRole.Peer,
            Enumerable.Range(0, peersPerOrg).Select(i => $"peer{i}.{org.ToLowerInvariant()}").ToArray())).ToList();
        plan.Add(new OrgPlan(ordererOrg, NodeRole.Orderer,
            Enumerable.Range(0, orderers).Select(i => $"orderer{i}.{ordererOrg.ToLowerInvariant()}").ToArray()));
        return plan;
    }

    // The files that decide whether material exists: a CA's or a node's keys and certificates.
    private static IEnumerable<string> FilesOf(string root, OrgPlan org) =>
        new[]
        {
            CryptoDirectory.CaKeyPath(root, org.MspId), CryptoDirectory.CaCertificatePath(root, org.MspId),
            CryptoDirectory.TlsCaKeyPath(root, org.MspId), CryptoDirectory.TlsCaCertificatePath(root, org.MspId),
        }
            .Concat(org.Nodes.SelectMany(name => new[]
            {
                CryptoDirectory.NodeKeyPath(root, org.MspId, name), CryptoDirectory.NodeCertificatePath(root, org.MspId, name),
                Path.Combine(root, org.MspId, name, NodeDirectory.TlsDirectory, NodeDirectory.TlsKeyFile),
            }));

    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectoryMode);
        }
    }

    private static void WriteKey(string path, SigningKey key, List<string> files)
    {
        var raw = key.ExportRawPrivateKey();
        try
        {
            WriteNew(path, raw, KeyFileMode);
        }
        finally
        {
            Array.Clear(raw);
        }
        files.Add(path);
    }

    private static void WriteCertificate(string path, Certificate certificate, List<string> files)
    {
        WriteNew(path, certificate.ToByteArray(), CertificateFileMode);
        files.Add(path);
    }

    private static void WriteText(string path, string text, UnixFileMode mode, List<string> files)
    {
        WriteNew(path, System.Text.Encoding.ASCII.GetBytes(text), mode);
        files.Add(path);
    }

    private static void WriteNew(string path, byte[] bytes, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new CryptoMaterialExistsException(path);
        }
        using (stream)
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex OrgName();
}
