using System.CommandLine;
using Pep.Core.Deployment;
using Pep.Core.Provisioning;

namespace Pep.Cli.Commands;

/// <summary>
/// The options of <c>pep init</c> that choose the shared store and, for etcd, how to reach it and whether to
/// write one bundle per instance (instances on several hosts).
/// </summary>
internal sealed class InitStoreOptions
{
    private readonly Option<string> _kind = new("--store")
    {
        Description = "Where instances share accounts, failed-login counts and settings: sqlite (one host, default) or etcd (several hosts).",
        DefaultValueFactory = _ => StoreSettings.Sqlite,
    };

    private readonly Option<string[]> _endpoints = new("--etcd-endpoint")
    {
        Description = "An etcd client URL (http://host:2379 or https://host:2379); repeat for each member.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _prefix = new("--etcd-prefix") { Description = "Key prefix of this deployment in etcd (default: /pep/<cloud id>/)." };
    private readonly Option<string?> _user = new("--etcd-user") { Description = "etcd user (password authentication)." };
    private readonly Option<FileInfo?> _passwordFile = new("--etcd-password-file") { Description = "File with the etcd user's password (copied into each bundle with mode 0600)." };
    private readonly Option<FileInfo?> _ca = new("--etcd-ca") { Description = "PEM CA certificate of the etcd members (https endpoints)." };
    private readonly Option<FileInfo?> _clientCert = new("--etcd-client-cert") { Description = "PEM client certificate for etcd's --client-cert-auth." };
    private readonly Option<FileInfo?> _clientKey = new("--etcd-client-key") { Description = "PEM key of the client certificate." };
    private readonly Option<string?> _serverName = new("--etcd-server-name") { Description = "DNS name in the etcd members' certificates (default: etcd)." };
    private readonly Option<DirectoryInfo?> _bundleDir = new("--bundle-dir") { Description = "Write one state directory per instance here (DIR/ERCS01, ...), to copy to each host; needs --store etcd." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _kind, _endpoints, _prefix, _user, _passwordFile, _ca, _clientCert, _clientKey, _serverName, _bundleDir })
        {
            command.Options.Add(option);
        }
    }

    public DirectoryInfo? BundleDirectory(ParseResult parse) => parse.GetValue(_bundleDir);

    public EtcdClientFiles Files(ParseResult parse)
        => new(parse.GetValue(_passwordFile)?.FullName, parse.GetValue(_ca)?.FullName, parse.GetValue(_clientCert)?.FullName, parse.GetValue(_clientKey)?.FullName);

    /// <summary>The store section of deployment.json; null for the default (sqlite). Paths are absolute (no bundle).</summary>
    public StoreSettings? Settings(ParseResult parse)
    {
        string kind = parse.GetValue(_kind)!.ToLowerInvariant();
        if (kind == StoreSettings.Sqlite)
        {
            if (parse.GetValue(_endpoints) is { Length: > 0 })
            {
                throw new FormatException("--etcd-endpoint needs --store etcd.");
            }

            return null;
        }

        if (kind != StoreSettings.Etcd)
        {
            throw new FormatException($"--store is '{StoreSettings.Sqlite}' or '{StoreSettings.Etcd}'.");
        }

        string[] endpoints = parse.GetValue(_endpoints) ?? [];
        if (endpoints.Length == 0)
        {
            throw new FormatException("--store etcd needs at least one --etcd-endpoint.");
        }

        if ((parse.GetValue(_user) is null) != (parse.GetValue(_passwordFile) is null))
        {
            throw new FormatException("--etcd-user and --etcd-password-file go together.");
        }

        if ((parse.GetValue(_clientCert) is null) != (parse.GetValue(_clientKey) is null))
        {
            throw new FormatException("--etcd-client-cert and --etcd-client-key go together.");
        }

        return new StoreSettings
        {
            Kind = StoreSettings.Etcd,
            Endpoints = endpoints,
            Prefix = parse.GetValue(_prefix),
            Username = parse.GetValue(_user),
            PasswordFile = parse.GetValue(_passwordFile)?.FullName,
            CaCertificateFile = parse.GetValue(_ca)?.FullName,
            ClientCertificateFile = parse.GetValue(_clientCert)?.FullName,
            ClientKeyFile = parse.GetValue(_clientKey)?.FullName,
            TlsServerName = parse.GetValue(_serverName) ?? "etcd",
        };
    }

    public static void PrintBundles(string bundleRoot, DeploymentConfig config)
    {
        Console.WriteLine($"Deployment prepared in {bundleRoot}: one state directory per instance, shared state on etcd");
        Console.WriteLine($"  stamp:      {config.Stamp.Name} ({config.Stamp.RegionName}.{config.Stamp.ExternalDomainFqdn})");
        Console.WriteLine($"  etcd:       {string.Join(", ", config.Store!.Endpoints)} (prefix {config.Store.Prefix})");
        foreach (InstanceConfig instance in config.Instances)
        {
            string directory = Path.Combine(bundleRoot, instance.Name);
            Console.WriteLine($"  instance:   {instance.Name} at {instance.Address}:{instance.Port}   copy {directory} to its host, then: pep serve --state <copy> --instance {instance.Name}");
        }

        Console.WriteLine($"  TLS certificate SHA-256 thumbprint (give it to operators for -CertificateThumbprint):");
        Console.WriteLine($"    {config.TlsCertificateThumbprint}");
    }
}
