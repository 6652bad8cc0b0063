using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// The support state of the one session this host process serves: the <see cref="SupportSession"/> (the
/// one-time key lives here, in this process's memory only), the elevation of the session state, and the
/// lock-back.
/// </summary>
/// <remarks>
/// Lock-back happens even when nobody types anything, in two steps, because PowerShell's session state is not
/// thread-safe:
/// <list type="number">
/// <item>A timer on the endpoint's clock fires when the elevation ends. On its thread it does only what is safe
/// while a pipeline may run: the language mode goes back to NoLanguage and every command the elevation made
/// public is private again (single field writes). From then on no script runs, and the session's own
/// commands are again the only ones a user can call by name. It records the lock-back in support.log.</item>
/// <item>A <see cref="CommandInvocationIntrinsics.PreCommandLookupAction"/> runs on the pipeline thread before
/// every top-level command is looked up. When the elevation is over (it checks the monotonic clock itself, so
/// it does not depend on the timer having fired) it completes the lock-back before the command is resolved:
/// functions and aliases defined while elevated are removed, commands imported while elevated become private,
/// the restricted proxies come back, native programs are refused again. So the next command always runs
/// locked.</item>
/// </list>
/// A pipeline that was already running when the time ran out is not stopped (PowerShell has no public API to
/// stop another pipeline of the runspace); it continues in NoLanguage mode and cannot call commands by name
/// that the locked session does not show.
/// </remarks>
internal sealed class SupportSessionHost : IDisposable
{
    private static readonly Lazy<SupportSessionHost> Instance = new(Create);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly SupportAuditLog _log;
    private readonly SessionRestrictions _restrictions = new();
    private readonly EventHandler<CommandLookupEventArgs> _lookupHook;
    private ITimer? _lockBackTimer;
    private SessionState? _elevatedState;
    private SupportLockBack? _unannouncedLockBack;
    private SupportLockBack? _recorded;

    private SupportSessionHost(SupportSession? session, string? authorityKeyId, string? authorityProblem, TimeProvider time, SupportAuditLog log)
    {
        Session = session;
        AuthorityKeyId = authorityKeyId;
        AuthorityProblem = authorityProblem;
        _time = time;
        _log = log;
        _lookupHook = OnPreCommandLookup;
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

    /// <summary>Elevates the session state (pipeline thread, inside Unlock-SupportSession) and arms the lock-back.</summary>
    public void Elevate(SessionState state, InitialSessionState sessionConfiguration, SupportElevation elevation)
    {
        lock (_gate)
        {
            _restrictions.Elevate(state, sessionConfiguration);
            _elevatedState = state;
            _unannouncedLockBack = null;
            state.InvokeCommand.PreCommandLookupAction = _lookupHook;
            _lockBackTimer?.Dispose();
            _lockBackTimer = _time.CreateTimer(_ => OnLockBackDue(), null, elevation.Duration, Timeout.InfiniteTimeSpan);
        }

        _log.Write("elevated", elevation.ElevatedSinceUtc, new
        {
            supportSessionId = elevation.SupportSessionId,
            unlockedBy = elevation.UnlockedBy,
            elevatedUntilUtc = elevation.ElevatedUntilUtc,
            durationSeconds = (long)elevation.Duration.TotalSeconds,
            grantedSeconds = (long)elevation.GrantedDuration.TotalSeconds,
            requestHash = elevation.RequestHash,
        });
    }

    /// <summary>A lock-back the operator has not been told about yet (the timer cannot write to the pipeline); reading it clears it.</summary>
    public SupportLockBack? TakeUnannouncedLockBack()
    {
        lock (_gate)
        {
            SupportLockBack? lockBack = _unannouncedLockBack;
            _unannouncedLockBack = null;
            return lockBack;
        }
    }

    /// <summary>
    /// Completes a due lock-back now; called on the pipeline thread (by the lookup hook and by the support
    /// cmdlets). Returns true when the session is locked.
    /// </summary>
    public bool EnsureLockedIfDue()
    {
        if (Session is null)
        {
            return true;
        }

        SupportSessionStatus status = Session.GetStatus();
        lock (_gate)
        {
            if (status.State == SupportSessionState.Elevated)
            {
                return false;
            }

            if (_elevatedState is not null)
            {
                RecordLockBack(status.LastLockBack);
                try
                {
                    _restrictions.Restrict();
                }
                catch (Exception e)
                {
                    // Fail closed: a session that cannot be locked back ends (the gateway keeps its transcript).
                    _log.Write("lockBackFailed", _time.GetUtcNow(), new { error = e.GetType().Name });
                    HostSignalWriter.Send(HostSignals.Diagnostic(_log.SessionId, $"Lock-back failed ({e.GetType().Name}: {e.Message}); ending the session."));
                    Environment.Exit(70);
                }

                _elevatedState.InvokeCommand.PreCommandLookupAction = null;
                _elevatedState = null;
            }

            return true;
        }
    }

    /// <summary>The session is closing (Close-PrivilegedEndpoint, or the process ending): the key is destroyed and any elevation ends.</summary>
    public void EndSession()
    {
        SupportLockBack? lockBack = Session?.Lock(SupportLockReason.SessionEnded);
        lock (_gate)
        {
            _lockBackTimer?.Dispose();
            _lockBackTimer = null;
            if (_elevatedState is not null)
            {
                RecordLockBack(lockBack);
                _restrictions.LockFast();
            }
        }

        Session?.Dispose();
    }

    public void Dispose() => EndSession();

    /// <summary>Timer thread: see the remarks of this class.</summary>
    private void OnLockBackDue()
    {
        if (Session is null)
        {
            return;
        }

        SupportSessionStatus status = Session.GetStatus();
        lock (_gate)
        {
            if (status.State == SupportSessionState.Elevated && status.Remaining is { } remaining)
            {
                // Fired early (timer resolution): wait for the rest.
                _lockBackTimer?.Change(remaining + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
                return;
            }

            if (_elevatedState is null)
            {
                return;
            }

            _restrictions.LockFast();
            RecordLockBack(status.LastLockBack);

            // The elevated user could have removed the hook: put it back, it completes the lock-back.
            _elevatedState.InvokeCommand.PreCommandLookupAction = _lookupHook;
        }
    }

    private void OnPreCommandLookup(object? sender, CommandLookupEventArgs e)
    {
        // Top-level commands only: they run at global scope, where the restricted session's functions live.
        if (e.CommandOrigin == CommandOrigin.Runspace && _elevatedState is not null)
        {
            EnsureLockedIfDue();
        }
    }

    private void RecordLockBack(SupportLockBack? lockBack)
    {
        if (lockBack is null || ReferenceEquals(lockBack, _recorded))
        {
            return;
        }

        _recorded = lockBack;
        _unannouncedLockBack = lockBack;
        _log.Write("lockedBack", lockBack.LockedUtc, new
        {
            supportSessionId = lockBack.Elevation.SupportSessionId,
            reason = lockBack.Reason.ToString(),
            elevatedSinceUtc = lockBack.Elevation.ElevatedSinceUtc,
        });
    }

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
