namespace Pep.Core.Contracts.Broker;

/// <summary>A certificate a rotation installed: the SHA-256 thumbprint is what clients pin.</summary>
public sealed record RotatedCertificateInfo(string Name, string Kind, string Thumbprint, DateTime NotAfterUtc, string Subject, string Path);
