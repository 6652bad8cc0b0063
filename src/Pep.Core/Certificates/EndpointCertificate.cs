using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>The endpoint's own TLS certificate as a rotation target: internal, at <c>tls/endpoint.pfx</c>, picked up by the gateways by themselves.</summary>
public static class EndpointCertificate
{
    public const string Name = "PrivilegedEndpoint";

    public static StampCertificate For(StateLayout layout, DeploymentConfig config)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(config);
        return new StampCertificate
        {
            Name = Name,
            Kind = CertificateKind.Internal,
            SubjectNames = [.. config.Instances.Select(i => $"{config.Stamp.Name}-{i.Name}.{config.Stamp.ExternalDomainFqdn}".ToLowerInvariant())],
            Path = layout.TlsCertificatePfx,
        };
    }
}
