using System.Net;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;
using Pep.Core.Storage;

namespace Pep.Core.Provisioning;

/// <summary>What <c>pep init</c> is asked for.</summary>
public sealed record DeploymentRequest(
    string StampName,
    string RegionName,
    string DomainNetBiosName,
    string ExternalDomainFqdn,
    IReadOnlyList<InstanceConfig> Instances,
    string FirstAdminUser,
    StoreSettings? Store = null);

/// <summary>
/// Prepares a deployment's state directory: keys, TLS certificate, settings and the first CloudAdmin
/// account. Refuses to touch a directory that already holds a deployment.
/// </summary>
public static class DeploymentInitializer
{
    public static DeploymentConfig Create(StateLayout layout, DeploymentRequest request, ReadOnlySpan<char> firstAdminPassword, TimeProvider time)
    {
        if (File.Exists(layout.ConfigFile))
        {
            throw new DeploymentException($"'{layout.Root}' already holds a deployment; choose an empty directory.");
        }

        AccountName admin = CheckFirstAccount(request, firstAdminPassword);
        CreateStateDirectories(layout);

        using SigningKey stampKey = SigningKey.Generate();
        WriteStampKey(layout, stampKey);
        foreach (InstanceConfig instance in request.Instances)
        {
            PrepareInstance(layout, instance.Name);
        }

        using X509Certificate2 certificate = CreateTlsCertificate(request, time);
        WriteTlsCertificate(layout, certificate);
        DeploymentConfig config = NewConfig(request, TlsCertificate.Sha256Thumbprint(certificate));
        AddFirstAccount(layout, config, stampKey, admin, firstAdminPassword, time);
        config.Save(layout.ConfigFile);
        return config;
    }

    internal static AccountName CheckFirstAccount(DeploymentRequest request, ReadOnlySpan<char> password)
    {
        AccountName admin = AccountName.TryParse(request.FirstAdminUser, request.DomainNetBiosName, out string? nameError)
            ?? throw new DeploymentException(nameError!);
        if (PasswordPolicy.Check(password, admin.User) is { } passwordError)
        {
            throw new DeploymentException(passwordError + " " + PasswordPolicy.Description);
        }

        return admin;
    }

    internal static void CreateStateDirectories(StateLayout layout)
    {
        PrivateDirectory.Create(layout.Root);
        PrivateDirectory.Create(layout.KeysDirectory);
        PrivateDirectory.Create(layout.TlsDirectory);
    }

    internal static void WriteStampKey(StateLayout layout, SigningKey stampKey)
    {
        SecretFile.WriteAllText(layout.StampPrivateKey, stampKey.ExportPrivateKeyPem());
        File.WriteAllText(layout.StampPublicKey, stampKey.ExportPublicKeyPem());
    }

    internal static DeploymentConfig NewConfig(DeploymentRequest request, string thumbprint)
    {
        Guid cloudId = Guid.NewGuid();
        StoreSettings? store = request.Store;
        if (store is not null && string.Equals(store.Kind, StoreSettings.Etcd, StringComparison.OrdinalIgnoreCase) && string.IsNullOrEmpty(store.Prefix))
        {
            // One cluster may serve several stamps: each deployment keeps to its own prefix.
            store = store with { Prefix = $"/pep/{cloudId:D}/" };
        }

        return new DeploymentConfig
        {
            Stamp = new StampIdentity
            {
                Name = request.StampName,
                RegionName = request.RegionName,
                DomainNetBiosName = request.DomainNetBiosName.ToUpperInvariant(),
                DomainFqdn = $"{request.DomainNetBiosName.ToLowerInvariant()}.{request.ExternalDomainFqdn}",
                ExternalDomainFqdn = request.ExternalDomainFqdn,
                CloudId = cloudId,
                DeploymentId = Guid.NewGuid(),
            },
            Instances = request.Instances,
            InitialCloudAdmin = AccountName.TryParse(request.FirstAdminUser, request.DomainNetBiosName, out _)?.User,
            TlsCertificateThumbprint = thumbprint,
            Store = store,
        };
    }

    /// <summary>Writes the first CloudAdmin account into the shared store the configuration names (sqlite or etcd).</summary>
    internal static void AddFirstAccount(StateLayout layout, DeploymentConfig config, SigningKey stampKey, AccountName admin, ReadOnlySpan<char> password, TimeProvider time)
    {
        try
        {
            using SharedState shared = SharedState.Open(layout, config);
            var accounts = new AccountService(shared.Accounts, stampKey, config.Stamp.DomainNetBiosName, config.Limits.AccountBudget(), null, time);
            if (!accounts.TryAdd(admin, password))
            {
                throw new DeploymentException($"The account '{admin.User}' already exists in the store under this deployment's prefix.");
            }
        }
        catch (StoreUnavailableException e)
        {
            throw new DeploymentException($"The first account could not be written: {e.Message}", e);
        }
    }

    /// <summary>Creates an instance's folders and signing key, if it has none yet.</summary>
    public static void PrepareInstance(StateLayout layout, string instance)
    {
        PrivateDirectory.Create(layout.InstanceDirectory(instance));
        PrivateDirectory.Create(layout.TranscriptDirectory(instance));
        PrivateDirectory.Create(layout.RuntimeDirectory(instance));
        if (!File.Exists(layout.InstancePrivateKey(instance)))
        {
            using SigningKey key = SigningKey.Generate();
            SecretFile.WriteAllText(layout.InstancePrivateKey(instance), key.ExportPrivateKeyPem());
            File.WriteAllText(layout.InstancePublicKey(instance), key.ExportPublicKeyPem());
        }
    }

    /// <summary>A new endpoint certificate for the deployment's current instances (Start-SecretRotation -Internal).</summary>
    public static X509Certificate2 CreateTlsCertificate(DeploymentConfig config, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(config);
        var request = new DeploymentRequest(config.Stamp.Name, config.Stamp.RegionName, config.Stamp.DomainNetBiosName, config.Stamp.ExternalDomainFqdn, config.Instances, string.Empty);
        return CreateTlsCertificate(request, time);
    }

    internal static X509Certificate2 CreateTlsCertificate(DeploymentRequest request, TimeProvider time)
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

        return TlsCertificate.CreateSelfSigned(
            $"{request.StampName} privileged endpoint", dnsNames.Distinct(StringComparer.OrdinalIgnoreCase), addresses.Distinct(), time);
    }

    internal static void WriteTlsCertificate(StateLayout layout, X509Certificate2 certificate)
    {
        SecretFile.WriteAllBytes(layout.TlsCertificatePfx, certificate.Export(X509ContentType.Pkcs12));
        File.WriteAllText(layout.TlsCertificatePem, certificate.ExportCertificatePem());
    }
}
