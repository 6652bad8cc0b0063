using System.Net;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Accounts;
using Pep.Core.Security;

namespace Pep.Core.Deployment;

/// <summary>What <c>pep init</c> is asked for.</summary>
public sealed record DeploymentRequest(
    string StampName,
    string RegionName,
    string DomainNetBiosName,
    string ExternalDomainFqdn,
    IReadOnlyList<InstanceConfig> Instances,
    string FirstAdminUser);

/// <summary>
/// Prepares a deployment's state directory: keys, TLS certificate, settings and the first CloudAdmin
/// account. Refuses to touch a directory that already holds a deployment.
/// </summary>
public static class DeploymentInitializer
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static DeploymentConfig Create(StateLayout layout, DeploymentRequest request, ReadOnlySpan<char> firstAdminPassword, TimeProvider time)
    {
        if (File.Exists(layout.ConfigFile))
        {
            throw new DeploymentException($"'{layout.Root}' already holds a deployment; choose an empty directory.");
        }

        AccountName admin = AccountName.TryParse(request.FirstAdminUser, request.DomainNetBiosName, out string? nameError)
            ?? throw new DeploymentException(nameError!);
        if (PasswordPolicy.Check(firstAdminPassword, admin.User) is { } passwordError)
        {
            throw new DeploymentException(passwordError + " " + PasswordPolicy.Description);
        }

        Directory.CreateDirectory(layout.Root, PrivateDirectory);
        Directory.CreateDirectory(layout.KeysDirectory, PrivateDirectory);
        Directory.CreateDirectory(layout.TlsDirectory, PrivateDirectory);

        using SigningKey stampKey = SigningKey.Generate();
        SecretFile.WriteAllText(layout.StampPrivateKey, stampKey.ExportPrivateKeyPem());
        File.WriteAllText(layout.StampPublicKey, stampKey.ExportPublicKeyPem());

        foreach (InstanceConfig instance in request.Instances)
        {
            PrepareInstance(layout, instance.Name);
        }

        string thumbprint = WriteTlsCertificate(layout, request, time);

        var config = new DeploymentConfig
        {
            Stamp = new StampIdentity
            {
                Name = request.StampName,
                RegionName = request.RegionName,
                DomainNetBiosName = request.DomainNetBiosName.ToUpperInvariant(),
                DomainFqdn = $"{request.DomainNetBiosName.ToLowerInvariant()}.{request.ExternalDomainFqdn}",
                ExternalDomainFqdn = request.ExternalDomainFqdn,
                CloudId = Guid.NewGuid(),
                DeploymentId = Guid.NewGuid(),
            },
            Instances = request.Instances,
            TlsCertificateThumbprint = thumbprint,
        };

        using (var store = new SqliteAccountStore(layout.AccountDatabase))
        {
            var accounts = new AccountService(store, stampKey, config.Stamp.DomainNetBiosName, LockoutPolicy.Default, time);
            accounts.TryAdd(admin, firstAdminPassword);
        }

        config.Save(layout.ConfigFile);
        return config;
    }

    /// <summary>Creates an instance's folders and signing key, if it has none yet.</summary>
    public static void PrepareInstance(StateLayout layout, string instance)
    {
        Directory.CreateDirectory(layout.InstanceDirectory(instance), PrivateDirectory);
        Directory.CreateDirectory(layout.TranscriptDirectory(instance), PrivateDirectory);
        Directory.CreateDirectory(layout.RuntimeDirectory(instance), PrivateDirectory);
        if (!File.Exists(layout.InstancePrivateKey(instance)))
        {
            using SigningKey key = SigningKey.Generate();
            SecretFile.WriteAllText(layout.InstancePrivateKey(instance), key.ExportPrivateKeyPem());
            File.WriteAllText(layout.InstancePublicKey(instance), key.ExportPublicKeyPem());
        }
    }

    private static string WriteTlsCertificate(StateLayout layout, DeploymentRequest request, TimeProvider time)
    {
        var dnsNames = new List<string> { "localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        foreach (InstanceConfig instance in request.Instances)
        {
            dnsNames.Add(instance.Name.ToLowerInvariant());
            dnsNames.Add($"{request.StampName}-{instance.Name}.{request.ExternalDomainFqdn}".ToLowerInvariant());
            if (IPAddress.TryParse(instance.Address, out IPAddress? address))
            {
                addresses.Add(address);
            }
            else
            {
                dnsNames.Add(instance.Address);
            }
        }

        using X509Certificate2 certificate = TlsCertificate.CreateSelfSigned(
            $"{request.StampName} privileged endpoint", dnsNames.Distinct(StringComparer.OrdinalIgnoreCase), addresses.Distinct(), time);
        SecretFile.WriteAllBytes(layout.TlsCertificatePfx, certificate.Export(X509ContentType.Pkcs12));
        File.WriteAllText(layout.TlsCertificatePem, certificate.ExportCertificatePem());
        return TlsCertificate.Sha256Thumbprint(certificate);
    }
}
