namespace Pep.SessionModule.Session;

/// <summary>
/// What Close-PrivilegedEndpoint did: the transcripts it moved to <see cref="Destination"/> (this session's and every
/// other one sealed on the instance), and the sessions of the instance it could not take because they are still open.
/// </summary>
public sealed record ClosePrivilegedEndpointResult(string Instance, string Destination, IReadOnlyList<string> Delivered, IReadOnlyList<UndeliveredSession> StillOpen);
