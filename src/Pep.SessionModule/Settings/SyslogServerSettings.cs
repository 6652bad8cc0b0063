namespace Pep.SessionModule.Settings;

/// <summary>What Get-SyslogServer and Set-SyslogServer show: where every instance forwards its security events (<see cref="Configured"/> false: nowhere).</summary>
public sealed record SyslogServerSettings(bool Configured, string ServerName, int ServerPort, string Transport, bool SkipCertificateCheck, bool SkipCNCheck);
