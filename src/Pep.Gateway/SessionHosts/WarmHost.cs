using System.Globalization;

namespace Pep.Gateway.SessionHosts;

/// <summary>A warm session host, the session id it was started for and the culture it runs in.</summary>
internal sealed record WarmHost(Guid SessionId, CultureInfo Culture, SessionHostProcess Process);
