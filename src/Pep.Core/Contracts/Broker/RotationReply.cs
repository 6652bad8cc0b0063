namespace Pep.Core.Contracts.Broker;

/// <summary>The certificates a rotation installed, and what the operator must do next (warnings).</summary>
public sealed record RotationReply(RotatedCertificateInfo[] Installed, string[] Warnings) : BrokerReply;
