namespace Pep.Core.Contracts.Broker;

/// <summary>What the instances forward and the client certificate they show a TLS syslog server (none: nulls); never the key.</summary>
public sealed record SyslogClientReply(string OutputSeverity, string? CertificateSubject, string? CertificateThumbprint, DateTimeOffset? CertificateNotAfter) : BrokerReply;
