using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Deployment;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// The support state of the one session this host process serves: the <see cref="SupportSession"/> (the
/// one-time key lives here, in this process's memory only) and the elevation of the session state.
/// </summary>
/// <remarks>
/// An elevation never locks back in place: the gateway holds its end. Before the session state is opened, the host
/// tells its gateway (<see cref="GatewayElevation"/>); when the grant runs out on the gateway's clock, the gateway
/// kills this process and everything it started (the session's cgroup) and seals the session. PowerShell's engine
/// state (functions, engine hooks, threads holding the engine) cannot be put back reliably, so the only sound end
/// of an elevation is the end of the process that was elevated.
/// </remarks>
internal sealed class SupportSessionHost : IDisposable
{
    private static readonly Lazy<SupportSessionHost> Instance = new(Create);

    private readonly TimeProvider _time;
    private readonly SupportAuditLog _log;

    private SupportSessionHost(SupportSession? session, string? authorityKeyId, string? authorityProblem, TimeProvider time, SupportAuditLog log)
    {
        Session = session;
        AuthorityKeyId = authorityKeyId;
        AuthorityProblem = authorityProblem;
        _time = time;
        _log = log;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Dispose();
    }

    public static SupportSessionHost Current => Instance.Value;

    /// <summary>Null when the deployment has no usable support authority: then nothing can be unlocked.</summary>
    public SupportSession? Session { get; }

    public string? AuthorityKeyId { get; }

    /// <summary>Why <see cref="Session"/> is null, for the operator.</summary>
    public string? AuthorityProblem { get; }

    public SupportAuditLog Log => _log;

    public TimeProvider Time => _time;

    /// <summary>
    /// Elevates the session state (pipeline thread, inside Unlock-SupportSession) once the elevation is recorded in
    /// support.log and the gateway holds its end. Throws <see cref="SupportRecordException"/> (and the session stays
    /// restricted, its elevation abandoned) when either cannot be done.
    /// </summary>
    public void Elevate(SessionState state, InitialSessionState sessionConfiguration, SupportElevation elevation)
    {
        try
        {
            _log.Write("elevated", elevation.ElevatedSinceUtc, new
            {
                supportSessionId = elevation.SupportSessionId,
                unlockedBy = elevation.UnlockedBy,
                elevatedUntilUtc = elevation.ElevatedUntilUtc,
                durationSeconds = (long)elevation.Duration.TotalSeconds,
                grantedSeconds = (long)elevation.GrantedDuration.TotalSeconds,
                requestHash = elevation.RequestHash,
            });
            GatewayElevation.Announce(_log.SessionId, elevation);
        }
        catch (SupportRecordException)
        {
            Session?.Lock(SupportLockReason.SessionEnded);
            throw;
        }

        SessionRestrictions.Elevate(state, sessionConfiguration);
    }

    /// <summary>The session is closing (the process ending): the key is destroyed.</summary>
    public void Dispose() => Session?.Dispose();

    private static SupportSessionHost Create()
    {
        EndpointSession endpoint = EndpointSession.Current;
        SupportAuditLog log = SupportAuditLog.For(endpoint.Layout, endpoint.Identity);
        TimeProvider time = TimeProvider.System;
        try
        {
            DeploymentConfig config = endpoint.LoadConfig();
            if (!File.Exists(endpoint.Layout.SupportAuthorityBundle))
            {
                return new SupportSessionHost(null, null, "No support authority is registered with this deployment ('pep authority register').", time, log);
            }

            SupportAuthorityBundle bundle = SupportAuthorityBundle.Load(endpoint.Layout.SupportAuthorityBundle);
            return new SupportSessionHost(new SupportSession(bundle, config.Support, time), bundle.KeyId, null, time, log);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException or DeploymentException)
        {
            return new SupportSessionHost(null, null, $"The registered support authority cannot be used: {e.Message}", time, log);
        }
    }
}
