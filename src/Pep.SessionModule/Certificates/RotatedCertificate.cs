using Pep.Core.Certificates;

namespace Pep.SessionModule.Certificates;

/// <summary>A certificate as Start-SecretRotation left it: the SHA-256 thumbprint is what clients pin.</summary>
public sealed record RotatedCertificate(string Name, string Kind, string Thumbprint, DateTime NotAfter, string Subject, string Path)
{
    public static RotatedCertificate From(CertificateOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Name, outcome.Kind.ToString(), outcome.Thumbprint, outcome.NotAfterUtc, outcome.Subject, outcome.Path);
    }
}
