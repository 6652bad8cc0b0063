namespace Pep.Gateway.Admission;

/// <summary>Why a connection was closed before it could log in; counted per source in <see cref="RefusalLog"/>.</summary>
internal enum ConnectionRefusal
{
    /// <summary>The source has <c>limits.maxPreAuthConnectionsPerSource</c> connections not yet logged in.</summary>
    SourceConnectionLimit,
    /// <summary>The source opened connections faster than <c>limits.connectionsPerSourcePerMinute</c> after its burst.</summary>
    SourceConnectionRate,
    /// <summary>All sources together have <c>limits.maxPreAuthConnections</c> connections not yet logged in.</summary>
    PreAuthCapacity,
    /// <summary>The source failed <c>limits.loginFailuresBeforeBlock</c> logins and is blocked.</summary>
    SourceBlocked,
    /// <summary>Any other refusal of a login request (busy, bad request, too many sessions...).</summary>
    LoginRefused,
}
