using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Storage;

namespace Pep.EndToEnd.Tests.Infrastructure.Hosts;

/// <summary>
/// A class fixture: one real etcd member on loopback as a production deployment would run it: TLS with client
/// certificates (<c>--client-cert-auth</c>) and authentication on, and an etcd user <c>pep</c> that may only
/// touch <c>/pep/</c>. Stores connect the way <c>pep serve</c> does: through a deployment.json "store"
/// section naming a CA, a client certificate and key, and a password file (0600).
/// </summary>
public sealed class SecureEtcd : IAsyncLifetime
{
    public const string User = "pep";
    private readonly string _root = Directory.CreateTempSubdirectory("pep-test-etcd-").FullName;
    private readonly string _password = "Etcd-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly string _data = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "pep-test-etcd-" + Guid.NewGuid().ToString("N")[..12]);
    private EtcdMember? _member;
    private int _clientPort;

    public StateLayout Layout => new(_root);

    public string Endpoint => $"https://127.0.0.1:{_clientPort}";

    public StoreSettings Settings => new()
    {
        Kind = StoreSettings.Etcd,
        Endpoints = [Endpoint],
        Prefix = NewPrefix(),
        Username = User,
        PasswordFile = "etcd-password",
        CaCertificateFile = "ca.crt",
        ClientCertificateFile = "client.crt",
        ClientKeyFile = "client.key",
        TlsServerName = "etcd",
        OperationTimeoutSeconds = 5,
    };

    public static string NewPrefix() => $"/pep/contract-{Guid.NewGuid():N}/";

    public async Task InitializeAsync()
    {
        WriteCertificates();
        SecretFile.WriteAllText(Path.Combine(_root, "etcd-password"), _password + "\n");
        _clientPort = TestDeployment.FreePort();
        int peerPort = TestDeployment.FreePort();
        _member = new EtcdMember("secure", "etcd",
        [
            "--name", "secure", "--data-dir", _data,
            "--listen-client-urls", Endpoint, "--advertise-client-urls", Endpoint,
            "--listen-peer-urls", $"http://127.0.0.1:{peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peerPort}",
            "--initial-cluster", $"secure=http://127.0.0.1:{peerPort}",
            "--cert-file", File("server.crt"), "--key-file", File("server.key"), "--trusted-ca-file", File("ca.crt"), "--client-cert-auth",
        ]);
        _member.Start();
        await _member.WaitReadyAsync(TimeSpan.FromSeconds(30));

        // etcdctl authenticates with the certificate whose CN is root; passwords go through standard input.
        await EtcdctlAsync(null, "role", "add", User);
        await EtcdctlAsync(null, "role", "grant-permission", User, "--prefix=true", "readwrite", "/pep/");
        await EtcdctlAsync(_password + "\n", "user", "add", User, "--interactive=false");
        await EtcdctlAsync(null, "user", "grant-role", User, User);
        await EtcdctlAsync(Convert.ToHexString(RandomNumberGenerator.GetBytes(12)) + "\n", "user", "add", "root", "--interactive=false");
        await EtcdctlAsync(null, "user", "grant-role", "root", "root");
        await EtcdctlAsync(null, "auth", "enable");
    }

    /// <summary>A new connection, opened from deployment settings as <c>pep serve</c> opens it.</summary>
    public EtcdKeyValue Connect(StoreSettings? settings = null) => new(SharedState.EtcdOptionsFrom(Layout, settings ?? Settings));

    public async Task DisposeAsync()
    {
        if (_member is not null)
        {
            await _member.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private string File(string name) => Path.Combine(_root, name);

    private async Task EtcdctlAsync(string? input, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("etcdctl",
            ["--endpoints", Endpoint, "--cacert", File("ca.crt"), "--cert", File("root.crt"), "--key", File("root.key"), .. arguments],
            new Dictionary<string, string> { ["ETCDCTL_API"] = "3" }, input, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"etcdctl {string.Join(' ', arguments)}: {result}");
    }

    private void WriteCertificates()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=pep test etcd CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        System.IO.File.WriteAllText(File("ca.crt"), ca.ExportCertificatePem());

        var serverNames = new SubjectAlternativeNameBuilder();
        serverNames.AddDnsName("etcd");
        serverNames.AddIpAddress(IPAddress.Loopback);
        Issue(ca, caKey, "CN=etcd", "server", serverNames.Build(), serverAuth: true);
        Issue(ca, caKey, "CN=pep-instance", "client", null, serverAuth: false);
        Issue(ca, caKey, "CN=root", "root", null, serverAuth: false);
    }

    private void Issue(X509Certificate2 ca, ECDsa caKey, string subject, string name, X509Extension? names, bool serverAuth)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            serverAuth ? [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")] : [new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using X509Certificate2 certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), ca.NotBefore, ca.NotAfter, serial);
        System.IO.File.WriteAllText(File($"{name}.crt"), certificate.ExportCertificatePem());
        SecretFile.WriteAllText(File($"{name}.key"), key.ExportPkcs8PrivateKeyPem());
    }
}
