namespace Pep.Gateway.SessionHosts;

/// <summary>A warm session host, the session id it was started for and the cultures it runs in.</summary>
internal sealed record WarmHost(Guid SessionId, HostCultures Cultures, SessionHostProcess Process);
