namespace Pep.Core.Deployment;

/// <summary>
/// Where the state all instances share lives (<c>"store"</c> in deployment.json). <c>sqlite</c> (the default):
/// the embedded database in the state directory, for instances on one host. <c>etcd</c>: an etcd v3 cluster,
/// for instances on several hosts. No secret is written here: the etcd password and client key are files
/// (mode 0600) named by path; relative paths are relative to the state directory.
/// </summary>
public sealed record StoreSettings
{
    public const string Sqlite = "sqlite";
    public const string Etcd = "etcd";

    public string Kind { get; init; } = Sqlite;

    /// <summary>etcd client URLs, <c>http://host:2379</c> or <c>https://host:2379</c> (all of one scheme).</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>Every key of this deployment starts with it, e.g. <c>/pep/&lt;cloud id&gt;/</c>.</summary>
    public string? Prefix { get; init; }

    /// <summary>etcd user for password authentication; its password is read from <see cref="PasswordFile"/>.</summary>
    public string? Username { get; init; }

    /// <summary>File holding the etcd user's password; must be owned by this user and readable by nobody else.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>PEM of the CA that issued the etcd members' certificates (https endpoints).</summary>
    public string? CaCertificateFile { get; init; }

    /// <summary>PEM client certificate for etcd's <c>--client-cert-auth</c>, with its key in <see cref="ClientKeyFile"/> (0600).</summary>
    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>The DNS name the etcd members' certificates carry, checked on every TLS connection.</summary>
    public string TlsServerName { get; init; } = "etcd";

    /// <summary>How long one store operation may take, retries included, before the store counts as unreachable.</summary>
    public double OperationTimeoutSeconds { get; init; } = 5;
}
