using System.Security.Cryptography.X509Certificates;

namespace Pep.Core.Storage;

/// <summary>Everything needed to reach an etcd cluster, resolved from <see cref="Deployment.StoreSettings"/>.</summary>
public sealed record EtcdConnectionOptions
{
    public required IReadOnlyList<Uri> Endpoints { get; init; }

    public string? Username { get; init; }

    public string? Password { get; init; }

    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    public X509Certificate2? ClientCertificate { get; init; }

    public string TlsServerName { get; init; } = "etcd";

    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shown in logs and errors: the endpoints only.</summary>
    public override string ToString() => string.Join(", ", Endpoints);
}
