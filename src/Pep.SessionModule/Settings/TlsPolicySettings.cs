namespace Pep.SessionModule.Settings;

/// <summary>The TLS policy of the endpoint's HTTPS listeners and the protocol versions it accepts.</summary>
public sealed record TlsPolicySettings(string Version, string[] Protocols);
