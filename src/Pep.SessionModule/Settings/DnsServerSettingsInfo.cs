namespace Pep.SessionModule.Settings;

/// <summary>The stamp DNS's server settings: root hints, conditional forwarders ("zone address..." each), the role that serves them and its file.</summary>
public sealed record DnsServerSettingsInfo(bool UseRootHint, string[] ConditionalForwarders, string Role, string ConfigurationFile);
