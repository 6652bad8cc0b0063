using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Storage;
using Pep.Gateway.Admission;
using Pep.Gateway.Hosting;
using Pep.Gateway.Relay;
using Pep.Gateway.SessionHosts;
using Pep.Gateway.Transcripts;

namespace Pep.Gateway.Login;

/// <summary>
/// The <c>/PrivilegedEndpoint</c> WebSocket endpoint (<see cref="WireProtocol.SessionPath"/>), a session's way
/// through the gateway: the request is checked, the login verified (<see cref="LoginAdmission"/>), the transcript
/// folder made, a host taken or started (<see cref="SessionHostPool"/>, <see cref="SessionHostLauncher"/>), the
/// session relayed (<see cref="SessionRelay"/>) and, whatever ended it, sealed (<see cref="TranscriptSealer"/>).
/// It builds none of these: <see cref="GatewayServer"/> does. Every refusal goes through <see cref="Refusal"/>.
/// </summary>
internal sealed class SessionEndpoint
{
    private readonly GatewayOptions _options;
    private readonly GatewayLimits _limits;
    private readonly string _domain;
    private readonly LoginAdmission _admission;
    private readonly SessionHostLauncher _launcher;
    private readonly SessionHostPool _pool;
    private readonly PreAuthGuard _guard;
    private readonly TranscriptSealer _transcripts;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private int _sessions;

    public SessionEndpoint(
        GatewayOptions options, GatewayLimits limits, string domain, PreAuthGuard guard, LoginAdmission admission, SessionHostLauncher launcher,
        SessionHostPool pool, TranscriptSealer transcripts, ILogger logger, CancellationToken stopping)
    {
        _guard = guard;
        _options = options;
        _limits = limits;
        _domain = domain;
        _admission = admission;
        _launcher = launcher;
        _pool = pool;
        _transcripts = transcripts;
        _logger = logger;
        _stopping = stopping;
    }

    public int ActiveSessions => Volatile.Read(ref _sessions);

    public async Task HandleAsync(HttpContext context)
    {
        IPAddress? client = context.Connection.RemoteIpAddress;
        string source = SourceAddress.KeyOf(client);
        CancellationToken aborted = context.RequestAborted;
        AdmissionDeadline admission = LoginAdmission.StartWaiting();
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, FailureKind.BadRequest, "This endpoint takes a WebSocket connection from the PrivilegedEndpoint client module (New-PepSession).");
            return;
        }

        if (!BasicCredentials.TryParse(context.Request.Headers.Authorization, out string userText, out string password))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"PrivilegedEndpoint\", charset=\"UTF-8\"";
            await RefuseAsync(context, FailureKind.InvalidCredential, "A user name and password are required.");
            return;
        }

        CultureInfo? culture = await ReadCultureAsync(context, WireProtocol.CultureQuery, "culture");
        CultureInfo? uiCulture = culture is null ? null : await ReadCultureAsync(context, WireProtocol.UICultureQuery, "UI culture");
        if (culture is null || uiCulture is null)
        {
            return;
        }

        if (ActiveSessions >= _limits.MaxSessionsPerInstance)
        {
            await RefuseAsync(context, FailureKind.TooManySessions, $"Instance {_options.InstanceName} has {_limits.MaxSessionsPerInstance} sessions open, its limit. Try another instance or later.");
            return;
        }

        SourceVerdict verdict = _guard.Throttle.Check(source);
        if (verdict.BlockedUntil is { } blockedUntil)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((blockedUntil - _options.Time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, FailureKind.SourceBlocked, "Too many failed logins from this address; it is refused for a while. Other addresses are not affected.");
            return;
        }

        LoginResult? login;
        try
        {
            if (verdict.Delay > TimeSpan.Zero)
            {
                // Failed logins from this source slow it down; the wait holds no thread and no verification slot.
                await Task.Delay(verdict.Delay, _options.Time, aborted);
            }

            login = await _admission.AuthenticateAsync(userText, password, source, admission, aborted);
        }
        catch (StoreUnavailableException e)
        {
            // Fail closed: without the store neither the account nor its failed logins can be checked.
            GatewayLog.AccountStoreUnavailable(_logger, client, e.Message);
            await RefuseAsync(context, FailureKind.AccountStoreUnavailable,
                $"Instance {_options.InstanceName.ToUpperInvariant()} cannot reach the account store, so it cannot check accounts or failed logins: it refuses new logins until the store answers again. Sessions already open are not affected; another instance may be able to log you in.");
            return;
        }

        if (login is null)
        {
            await RefuseAsync(context, FailureKind.Busy, "The endpoint is verifying too many logins at once; try again in a few seconds.");
            return;
        }

        if (login.Outcome != LoginOutcome.Success)
        {
            LogRefusedLogin(login, userText, client, source);
            await RefuseAsync(context, FailureKind.InvalidCredential, "The user name or password is incorrect.");
            return;
        }

        _guard.Throttle.Succeeded(source);
        // From here the connection holds a session slot, not a place among those not yet logged in.
        context.Features.Get<PreAuthLease>()?.Dispose();
        string qualifiedUser = AccountName.TryParse(login.User, _domain, out _)!.Qualified(_domain);
        GatewayLog.LoginSucceeded(_logger, qualifiedUser, client);
        if (!_transcripts.CanSeal())
        {
            await RefuseAsync(context, FailureKind.TranscriptionUnavailable,
                $"Instance {_options.InstanceName} cannot seal transcripts (its instance key cannot be read); it accepts no session until it can.");
            return;
        }

        var cultures = new HostCultures(culture, uiCulture);
        WarmHost? warm = _pool.TryTake(cultures);
        var identity = new SessionIdentity(
            warm?.SessionId ?? Guid.NewGuid(), qualifiedUser, _options.InstanceName.ToUpperInvariant(), client?.ToString() ?? "unknown",
            _options.Time.GetUtcNow(), _options.Layout.Root, culture.Name, uiCulture.Name);

        try
        {
            string folder = TranscriptFolder.Create(_options.Layout, identity);
            _launcher.GrantTranscriptFolder(identity.SessionId, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            if (warm is not null)
            {
                await _pool.DiscardAsync(warm);
            }
            else
            {
                _launcher.DeleteConfiguration(identity.SessionId);
            }

            if (e is InvalidOperationException)
            {
                // Every session account of the machine runs a host (SessionAccountSlots).
                await RefuseAsync(context, FailureKind.Busy, "The endpoint runs as many sessions as it has session accounts; try again later.");
                return;
            }

            await RefuseAsync(context, FailureKind.TranscriptionUnavailable,
                $"Instance {_options.InstanceName} cannot write transcripts ({e.GetType().Name}); it accepts no session until it can.");
            return;
        }

        Interlocked.Increment(ref _sessions);
        try
        {
            await RunSessionAsync(context, identity, warm, cultures, admission);
        }
        finally
        {
            Interlocked.Decrement(ref _sessions);
        }
    }

    /// <summary>Logs why a login was refused (the client is told only that the credential was not accepted) and counts it against the source.</summary>
    private void LogRefusedLogin(LoginResult login, string userText, IPAddress? client, string source)
    {
        switch (login.Outcome)
        {
            case LoginOutcome.RecordNotTrusted:
                GatewayLog.RecordNotTrusted(_logger, login.User!);
                break;
            case LoginOutcome.RecordReplayed:
                GatewayLog.RecordReplayed(_logger, login.User!);
                break;
            case LoginOutcome.LockedByAdministrator:
                GatewayLog.LockedByAdministrator(_logger, login.User!, client);
                break;
            case LoginOutcome.AttemptBudgetSpent:
                GatewayLog.AttemptBudgetSpent(_logger, login.User!, client);
                break;
            default:
                GatewayLog.LoginRefused(_logger, Refusal.HeaderSafe(Refusal.Truncate(userText)), client);
                break;
        }

        _guard.Throttle.Failed(source);
        if (_guard.Throttle.Check(source).BlockedUntil is { } until)
        {
            GatewayLog.SourceBlocked(_logger, source, until);
        }
    }

    private async Task RunSessionAsync(HttpContext context, SessionIdentity identity, WarmHost? warm, HostCultures cultures, AdmissionDeadline admission)
    {
        SessionHostProcess? host = warm is null ? null : HandOver(warm, identity);
        HostStartSlot? slot = null;
        if (host is null)
        {
            try
            {
                slot = await _admission.TakeHostStartSlotAsync(admission, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client left while it waited: there is no one to answer.
                _launcher.DeleteConfiguration(identity.SessionId);
                return;
            }

            if (slot is null)
            {
                _launcher.DeleteConfiguration(identity.SessionId);
                await RefuseAsync(context, FailureKind.Busy, "The endpoint is starting too many sessions at once; try again in a few seconds.");
                return;
            }
        }

        using HostStartSlot? held = slot;

        try
        {
            host ??= _launcher.StartCold(identity, cultures);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            GatewayLog.HostStartFailed(_logger, identity.SessionId, e);
            _launcher.DeleteConfiguration(identity.SessionId);
            await RefuseAsync(context, FailureKind.SessionHostFailed, "The session host could not be started; the endpoint's log has the details.");
            return;
        }

        SessionEndReason reason = SessionEndReason.RelayFailed;
        bool sealStarted = false;
        async Task<SessionEndReason> SealAsync(SessionEndReason ended)
        {
            sealStarted = true;
            return await _transcripts.SealAsync(identity.SessionId, ended);
        }

        try
        {
            await using (host)
            {
                // A Close in another session tells by this record whether this session's host still runs.
                _transcripts.RecordHost(identity.SessionId, host.ProcessId);
                using (WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }))
                {
                    GatewayLog.SessionStarted(_logger, identity.SessionId, identity.User, identity.ClientAddress, host.ProcessId);
                    // A cold host frees its start slot when it is ready; a warm one never held one.
                    Action? ready = held is { } starting ? () =>
                    {
                        GatewayLog.HostReady(_logger, identity.SessionId, starting.Elapsed.TotalMilliseconds);
                        starting.Dispose();
                    } : null;
                    using var relay = new SessionRelay(socket, host, _limits, identity.SessionId, _logger, ready);
                    reason = await relay.RunAsync(ended => _transcripts.MarkEnded(identity.SessionId, ended), SealAsync, context.RequestAborted, _stopping);
                }

                if (reason == SessionEndReason.HostExited)
                {
                    GatewayLog.HostExited(_logger, identity.SessionId, host.ExitCode);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever failed, the host is gone (disposed above) and its transcript must be sealed: an unsealed
            // transcript would wait for the next restart of the instance. The exception is logged, not rethrown.
            GatewayLog.RelayFailed(_logger, identity.SessionId, e);
        }

        // The relay sealed the transcript as soon as the host was gone; if it failed before, the host is gone now
        // (disposed above): its transcript is complete on disk and is sealed now, whatever ended the session.
        if (!sealStarted)
        {
            reason = await _transcripts.SealAsync(identity.SessionId, reason);
        }

        GatewayLog.SessionEnded(_logger, identity.SessionId, reason);
        _launcher.DeleteConfiguration(identity.SessionId);
    }

    /// <summary>Gives the login to the warm host started for its session id; null when that host cannot take it.</summary>
    private SessionHostProcess? HandOver(WarmHost warm, SessionIdentity identity)
    {
        if (!warm.Process.HasExited)
        {
            try
            {
                _launcher.HandOver(identity);
                return warm.Process;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                GatewayLog.HandoverFailed(_logger, identity.SessionId, e);
            }
        }

        // A cold host for the same session id takes its place: same configuration, same transcript folder.
        _ = warm.Process.DisposeAsync().AsTask();
        return null;
    }

    /// <summary>
    /// The culture a query parameter names (the session's default when it names none), or null once the login is
    /// refused as a bad request: only a name .NET knows may reach the session host.
    /// </summary>
    private async Task<CultureInfo?> ReadCultureAsync(HttpContext context, string parameter, string what)
    {
        string text = context.Request.Query[parameter].FirstOrDefault() ?? WireProtocol.DefaultCulture;
        CultureInfo? culture = CultureName.TryResolve(text);
        if (culture is null)
        {
            await RefuseAsync(context, FailureKind.BadRequest, $"'{Refusal.Truncate(text)}' is not a {what} this endpoint knows.");
        }

        return culture;
    }

    /// <summary>Refuses before a session exists; refusals other than a wrong credential are counted in the summarised refusal log.</summary>
    private Task RefuseAsync(HttpContext context, FailureKind failure, string message)
        => Refusal.SendAsync(context, failure, message, _guard.Refusals);
}
