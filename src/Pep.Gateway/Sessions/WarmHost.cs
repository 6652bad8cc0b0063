namespace Pep.Gateway.Sessions;

/// <summary>A warm session host and the session id it was started for.</summary>
internal sealed record WarmHost(Guid SessionId, SessionHostProcess Process);
