namespace Pep.SessionModule.Settings;

/// <summary>The stamp DNS's forwarders, which role serves them and where they are kept.</summary>
public sealed record DnsForwarderSettings(string[] IPAddress, string Role, string ConfigurationFile);
