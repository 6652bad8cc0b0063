using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>A certificate as a rotation left it installed.</summary>
public sealed record CertificateOutcome(string Name, CertificateKind Kind, string Thumbprint, string Subject, DateTime NotAfterUtc, string Path);
