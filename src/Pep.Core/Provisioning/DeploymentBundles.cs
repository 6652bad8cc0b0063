using System.Security.Cryptography.X509Certificates;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;

namespace Pep.Core.Provisioning;

/// <summary>Files the operator gives <c>pep init</c> to reach etcd; each bundle gets its own copy.</summary>
public sealed record EtcdClientFiles(string? PasswordFile, string? CaCertificateFile, string? ClientCertificateFile, string? ClientKeyFile);

/// <summary>
/// Prepares a deployment whose instances run on several hosts and share their state on etcd: one state
/// directory ("bundle") per instance, to be copied to that instance's host. Each bundle holds the stamp key
/// pair (the private half signs account changes made on that instance), only its own instance key, the TLS
/// certificate, the etcd client files and deployment.json. The first CloudAdmin account is written to etcd
/// once, here.
/// </summary>
public static class DeploymentBundles
{
    public const string EtcdDirectory = "etcd";

    public static DeploymentConfig Create(string bundleRoot, DeploymentRequest request, ReadOnlySpan<char> firstAdminPassword, EtcdClientFiles files, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(files);
        if (request.Store is not { } store || !string.Equals(store.Kind, StoreSettings.Etcd, StringComparison.OrdinalIgnoreCase))
        {
            throw new DeploymentException("Bundles are for deployments on several hosts: they need the etcd store (--store etcd).");
        }

        var layouts = request.Instances.Select(i => new StateLayout(Path.Combine(bundleRoot, i.Name.ToUpperInvariant()))).ToList();
        foreach (StateLayout layout in layouts.Where(l => Directory.Exists(l.Root) && Directory.EnumerateFileSystemEntries(l.Root).Any()))
        {
            throw new DeploymentException($"'{layout.Root}' is not empty; choose a new bundle directory.");
        }

        AccountName admin = DeploymentInitializer.CheckFirstAccount(request, firstAdminPassword);
        StoreSettings bundled = store with
        {
            PasswordFile = files.PasswordFile is null ? null : Path.Combine(EtcdDirectory, "password"),
            CaCertificateFile = files.CaCertificateFile is null ? null : Path.Combine(EtcdDirectory, "ca.crt"),
            ClientCertificateFile = files.ClientCertificateFile is null ? null : Path.Combine(EtcdDirectory, "client.crt"),
            ClientKeyFile = files.ClientKeyFile is null ? null : Path.Combine(EtcdDirectory, "client.key"),
        };

        using SigningKey stampKey = SigningKey.Generate();
        using X509Certificate2 certificate = DeploymentInitializer.CreateTlsCertificate(request, time);
        DeploymentConfig config = DeploymentInitializer.NewConfig(request with { Store = bundled }, TlsCertificate.Sha256Thumbprint(certificate));
        PrivateDirectory.Create(bundleRoot);
        for (int i = 0; i < layouts.Count; i++)
        {
            StateLayout layout = layouts[i];
            DeploymentInitializer.CreateStateDirectories(layout);
            DeploymentInitializer.WriteStampKey(layout, stampKey);
            DeploymentInitializer.PrepareInstance(layout, request.Instances[i].Name);
            DeploymentInitializer.WriteTlsCertificate(layout, certificate);
            CopyEtcdFiles(layout, files);
        }

        // The account goes in before any deployment.json exists: a failure leaves no bundle that looks ready.
        DeploymentInitializer.AddFirstAccount(layouts[0], config, stampKey, admin, firstAdminPassword, time);
        foreach (StateLayout layout in layouts)
        {
            config.Save(layout.ConfigFile);
        }

        return config;
    }

    private static void CopyEtcdFiles(StateLayout layout, EtcdClientFiles files)
    {
        string directory = Path.Combine(layout.Root, EtcdDirectory);
        PrivateDirectory.Create(directory);
        CopySecret(files.PasswordFile, Path.Combine(directory, "password"));
        CopySecret(files.ClientKeyFile, Path.Combine(directory, "client.key"));
        if (files.CaCertificateFile is { } ca)
        {
            File.Copy(ca, Path.Combine(directory, "ca.crt"));
        }

        if (files.ClientCertificateFile is { } cert)
        {
            File.Copy(cert, Path.Combine(directory, "client.crt"));
        }
    }

    private static void CopySecret(string? source, string destination)
    {
        if (source is not null)
        {
            SecretFile.WriteAllBytes(destination, File.ReadAllBytes(source));
        }
    }
}
