namespace Pep.SessionModule.Settings;

/// <summary>What Get-SyslogClient and Set-SyslogClient show: the events forwarded and the client certificate (never its key).</summary>
public sealed record SyslogClientSettings(string OutputSeverity, string? CertificateSubject, string? CertificateThumbprint, DateTimeOffset? CertificateNotAfter);
