namespace Pep.Core.Contracts.Broker;

/// <summary>The syslog server every instance forwards to; <see cref="Configured"/> false when none is set (forwarding off).</summary>
public sealed record SyslogServerReply(bool Configured, string ServerName, int ServerPort, string Transport, bool SkipCertificateCheck, bool SkipCNCheck) : BrokerReply;
