using System.Security.Cryptography.X509Certificates;
using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Deployment;

namespace Pep.Core.Storage;

/// <summary>
/// The state every instance of a deployment shares: CloudAdmin accounts with their lockout counters, and
/// stamp settings. Opened from deployment.json's <c>"store"</c>: the embedded database (default), or etcd.
/// Per-instance state (transcripts and their ledger, the instance key, session hosts) is never here.
/// </summary>
public sealed class SharedState : IDisposable
{
    private readonly EtcdKeyValue? _etcd;

    private SharedState(IAccountStore accounts, ISettingsStore settings, EtcdKeyValue? etcd, string description)
    {
        Accounts = accounts;
        Settings = settings;
        _etcd = etcd;
        Description = description;
    }

    public IAccountStore Accounts { get; }

    public ISettingsStore Settings { get; }

    /// <summary>For logs and messages: "sqlite" or "etcd (endpoints)".</summary>
    public string Description { get; }

    public static SharedState Open(StateLayout layout, DeploymentConfig config)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(config);
        StoreSettings settings = config.Store ?? new StoreSettings();
        if (string.Equals(settings.Kind, StoreSettings.Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            return new SharedState(new SqliteAccountStore(layout.AccountDatabase), new SqliteSettingsStore(layout.AccountDatabase), null, "sqlite");
        }

        if (!string.Equals(settings.Kind, StoreSettings.Etcd, StringComparison.OrdinalIgnoreCase))
        {
            throw new DeploymentException($"Unknown store kind '{settings.Kind}' in deployment.json; use \"{StoreSettings.Sqlite}\" or \"{StoreSettings.Etcd}\".");
        }

        EtcdConnectionOptions options = EtcdOptionsFrom(layout, settings);
        string prefix = settings.Prefix is { Length: > 0 } p ? p : throw new DeploymentException("The etcd store needs a key prefix (\"prefix\") in deployment.json.");
        var etcd = new EtcdKeyValue(options);
        return new SharedState(new EtcdAccountStore(etcd, prefix), new EtcdSettingsStore(etcd, prefix), etcd, $"etcd ({options})");
    }

    /// <summary>True when the store answers now. The embedded store always does; etcd only with a quorum.</summary>
    public bool IsReachable(TimeSpan timeout) => _etcd?.IsReachable(timeout) ?? true;

    public void Dispose()
    {
        Accounts.Dispose();
        _etcd?.Dispose();
    }

    /// <summary>Reads the files deployment.json names: certificates, and the secrets whose mode must be 0600 or 0400.</summary>
    public static EtcdConnectionOptions EtcdOptionsFrom(StateLayout layout, StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(settings);
        var endpoints = new List<Uri>();
        foreach (string text in settings.Endpoints)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Port <= 0)
            {
                throw new DeploymentException($"'{text}' is not an etcd endpoint (http://host:port or https://host:port).");
            }

            endpoints.Add(uri);
        }

        if (endpoints.Count == 0)
        {
            throw new DeploymentException("The etcd store needs at least one endpoint (\"endpoints\") in deployment.json.");
        }

        string? password = null;
        if (settings.PasswordFile is { } passwordFile)
        {
            password = File.ReadAllText(PrivateFile(layout, passwordFile, "etcd password file")).TrimEnd('\r', '\n');
        }
        else if (settings.Username is not null)
        {
            throw new DeploymentException("An etcd user needs a password file (\"passwordFile\"); passwords are never written into deployment.json.");
        }

        X509Certificate2Collection? authorities = null;
        if (settings.CaCertificateFile is { } caFile)
        {
            authorities = [];
            authorities.ImportFromPemFile(Resolve(layout, caFile));
        }

        X509Certificate2? client = null;
        if (settings.ClientCertificateFile is { } certFile)
        {
            string keyFile = settings.ClientKeyFile ?? throw new DeploymentException("An etcd client certificate needs its key file (\"clientKeyFile\").");
            client = X509Certificate2.CreateFromPemFile(Resolve(layout, certFile), PrivateFile(layout, keyFile, "etcd client key"));
        }

        return new EtcdConnectionOptions
        {
            Endpoints = endpoints,
            Username = settings.Username,
            Password = password,
            CertificateAuthorities = authorities,
            ClientCertificate = client,
            TlsServerName = settings.TlsServerName,
            OperationTimeout = TimeSpan.FromSeconds(settings.OperationTimeoutSeconds),
        };
    }

    private static string Resolve(StateLayout layout, string path) => Path.GetFullPath(path, layout.Root);

    private static string PrivateFile(StateLayout layout, string path, string what)
    {
        string full = Resolve(layout, path);
        if (!File.Exists(full))
        {
            throw new DeploymentException($"The {what} '{full}' does not exist.");
        }

        UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                              | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        if ((File.GetUnixFileMode(full) & others) != 0)
        {
            throw new DeploymentException($"The {what} '{full}' is readable by others; make it mode 0600 (chmod 600).");
        }

        return full;
    }
}
