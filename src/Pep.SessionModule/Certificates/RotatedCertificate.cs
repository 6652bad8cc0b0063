namespace Pep.SessionModule.Certificates;

/// <summary>A certificate as Start-SecretRotation left it: the SHA-256 thumbprint is what clients pin.</summary>
public sealed record RotatedCertificate(string Name, string Kind, string Thumbprint, DateTime NotAfter, string Subject, string Path);
