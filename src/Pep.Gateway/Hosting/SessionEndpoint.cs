using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Storage;
using Pep.Gateway.Admission;
using Pep.Gateway.Authentication;
using Pep.Gateway.Sessions;

namespace Pep.Gateway.Hosting;

/// <summary>
/// The <c>/PrivilegedEndpoint</c> WebSocket endpoint: checks the request, authenticates, and only then
/// starts a session host and relays. Every refusal goes through <see cref="RefuseAsync"/>.
/// </summary>
internal sealed class SessionEndpoint : IAsyncDisposable
{
    public const string Path = "/PrivilegedEndpoint";

    /// <summary>The culture of a login that asks for none (the client module always asks), and the pool's first one.</summary>
    private const string DefaultCulture = "en-US";

    /// <summary>
    /// How long a login may wait in all, for a verification slot and then for a host start slot, before it is
    /// told the endpoint is busy. Each verification is deliberately slow (PBKDF2, 600,000 iterations); 50 logins
    /// at once on two cores queued for more than the 10 s this once was, and 40 of them were refused
    /// (bench/README.md, figure 4). The client module waits 75 s for the answer to a login, so this stays below.
    /// </summary>
    private static readonly TimeSpan AdmissionWait = TimeSpan.FromSeconds(60);

    private readonly GatewayOptions _options;
    private readonly DeploymentConfig _config;
    private readonly AccountService _accounts;
    private readonly SessionHostLauncher _launcher;
    private readonly SessionHostPool _pool;
    private readonly ILogger _logger;
    private readonly PreAuthGuard _guard;
    private readonly SemaphoreSlim _hostStarts;
    private readonly TranscriptSealer _transcripts;
    private readonly CancellationToken _stopping;
    private int _sessions;

    public SessionEndpoint(GatewayOptions options, DeploymentConfig config, AccountService accounts, PreAuthGuard guard, string pwsh, ILogger logger, CancellationToken stopping)
    {
        _guard = guard;
        _stopping = stopping;
        _options = options;
        _config = config;
        _accounts = accounts;
        _logger = logger;
        _launcher = new SessionHostLauncher(pwsh, options.Layout, options.InstanceName, options.EndpointModuleManifest);
        _launcher.DeleteLeftoverConfigurations();
        _pool = new SessionHostPool(
            _launcher, Math.Min(config.Limits.WarmSessionHosts, config.Limits.MaxSessionsPerInstance), CultureInfo.GetCultureInfo(DefaultCulture),
            config.Limits.WarmHostMinimumAvailableMiB * 1024L * 1024L, AvailableMemory.Read, logger);
        _hostStarts = new SemaphoreSlim(config.Limits.MaxConcurrentHostStarts);
        _transcripts = new TranscriptSealer(options.Layout, options.InstanceName, options.Time, logger);
    }

    public int ActiveSessions => Volatile.Read(ref _sessions);

    public async Task HandleAsync(HttpContext context)
    {
        IPAddress? client = context.Connection.RemoteIpAddress;
        string source = SourceAddress.KeyOf(client);
        CancellationToken aborted = context.RequestAborted;
        var admission = new AdmissionDeadline(AdmissionWait);
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await RefuseAsync(context, GatewayFailure.BadRequest, "This endpoint takes a WebSocket connection from the PrivilegedEndpoint client module (New-PepSession).");
            return;
        }

        if (!BasicCredentials.TryParse(context.Request.Headers.Authorization, out string userText, out string password))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"PrivilegedEndpoint\", charset=\"UTF-8\"";
            await RefuseAsync(context, GatewayFailure.InvalidCredential, "A user name and password are required.");
            return;
        }

        string cultureText = context.Request.Query["culture"].FirstOrDefault() ?? DefaultCulture;
        CultureInfo? culture = CultureName.TryResolve(cultureText);
        if (culture is null)
        {
            await RefuseAsync(context, GatewayFailure.BadRequest, $"'{Truncate(cultureText)}' is not a culture this endpoint knows.");
            return;
        }

        if (ActiveSessions >= _config.Limits.MaxSessionsPerInstance)
        {
            await RefuseAsync(context, GatewayFailure.TooManySessions, $"Instance {_options.InstanceName} has {_config.Limits.MaxSessionsPerInstance} sessions open, its limit. Try another instance or later.");
            return;
        }

        SourceVerdict verdict = _guard.Throttle.Check(source);
        if (verdict.BlockedUntil is { } blockedUntil)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((blockedUntil - _options.Time.GetUtcNow()).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await RefuseAsync(context, GatewayFailure.SourceBlocked, "Too many failed logins from this address; it is refused for a while. Other addresses are not affected.");
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

            login = await AuthenticateAsync(userText, password, source, admission, aborted);
        }
        catch (StoreUnavailableException e)
        {
            // Fail closed: without the store neither the account nor its failed logins can be checked.
            GatewayLog.AccountStoreUnavailable(_logger, client, e.Message);
            await RefuseAsync(context, GatewayFailure.AccountStoreUnavailable,
                $"Instance {_options.InstanceName.ToUpperInvariant()} cannot reach the account store, so it cannot check accounts or failed logins: it refuses new logins until the store answers again. Sessions already open are not affected; another instance may be able to log you in.");
            return;
        }

        if (login is null)
        {
            await RefuseAsync(context, GatewayFailure.Busy, "The endpoint is verifying too many logins at once; try again in a few seconds.");
            return;
        }

        if (login.Outcome != LoginOutcome.Success)
        {
            LogRefusedLogin(login, userText, client, source);
            await RefuseAsync(context, GatewayFailure.InvalidCredential, "The user name or password is incorrect.");
            return;
        }

        _guard.Throttle.Succeeded(source);
        // From here the connection holds a session slot, not a place among those not yet logged in.
        context.Features.Get<PreAuthLease>()?.Dispose();
        string qualifiedUser = AccountName.TryParse(login.User, _accounts.Domain, out _)!.Qualified(_accounts.Domain);
        GatewayLog.LoginSucceeded(_logger, qualifiedUser, client);
        WarmHost? warm = _pool.TryTake(culture);
        var identity = new SessionIdentity(
            warm?.SessionId ?? Guid.NewGuid(), qualifiedUser, _options.InstanceName.ToUpperInvariant(), client?.ToString() ?? "unknown",
            _options.Time.GetUtcNow(), _options.Layout.Root, culture.Name);

        try
        {
            TranscriptFolder.Create(_options.Layout, identity);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (warm is not null)
            {
                await _pool.DiscardAsync(warm);
            }

            await RefuseAsync(context, GatewayFailure.TranscriptionUnavailable,
                $"Instance {_options.InstanceName} cannot write transcripts ({e.GetType().Name}); it accepts no session until it can.");
            return;
        }

        Interlocked.Increment(ref _sessions);
        try
        {
            await RunSessionAsync(context, identity, warm, culture, admission);
        }
        finally
        {
            Interlocked.Decrement(ref _sessions);
        }
    }

    /// <summary>
    /// Verifies a login in a slot of the fair queue (<see cref="GatewayLimits.MaxConcurrentLogins"/> at once,
    /// sources served in turn); null when no slot came within the admission budget.
    /// </summary>
    private async Task<LoginResult?> AuthenticateAsync(string userText, string password, string source, AdmissionDeadline admission, CancellationToken aborted)
    {
        using IDisposable? slot = await _guard.Verifications.EnterAsync(source, admission.Remaining, aborted);
        if (slot is null)
        {
            return null;
        }

        return await Task.Run(() => _accounts.Authenticate(userText, password, source), aborted);
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
                GatewayLog.LoginRefused(_logger, HeaderSafe(Truncate(userText)), client);
                break;
        }

        _guard.Throttle.Failed(source);
        if (_guard.Throttle.Check(source).BlockedUntil is { } until)
        {
            GatewayLog.SourceBlocked(_logger, source, until);
        }
    }

    /// <summary>Ends the warm hosts no login took; sessions that are running end with their connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _pool.DisposeAsync();
        _hostStarts.Dispose();
    }

    private async Task RunSessionAsync(HttpContext context, SessionIdentity identity, WarmHost? warm, CultureInfo culture, AdmissionDeadline admission)
    {
        SessionHostProcess? host = warm is null ? null : HandOver(warm, identity);
        HostStartSlot? slot = null;
        if (host is null)
        {
            try
            {
                slot = await HostStartSlot.TryTakeAsync(_hostStarts, admission.Remaining, context.RequestAborted);
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
                await RefuseAsync(context, GatewayFailure.Busy, "The endpoint is starting too many sessions at once; try again in a few seconds.");
                return;
            }
        }

        using HostStartSlot? held = slot;

        try
        {
            host ??= _launcher.StartCold(identity, culture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            GatewayLog.HostStartFailed(_logger, identity.SessionId, e);
            _launcher.DeleteConfiguration(identity.SessionId);
            await RefuseAsync(context, GatewayFailure.SessionHostFailed, "The session host could not be started; the endpoint's log has the details.");
            return;
        }

        SessionEndReason reason = SessionEndReason.RelayFailed;
        try
        {
            await using (host)
            {
                using (WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { DangerousEnableCompression = false }))
                {
                    GatewayLog.SessionStarted(_logger, identity.SessionId, identity.User, identity.ClientAddress, host.ProcessId);
                    // A cold host frees its start slot when it is ready; a warm one never held one.
                    Action? ready = held is { } starting ? () =>
                    {
                        GatewayLog.HostReady(_logger, identity.SessionId, starting.Elapsed.TotalMilliseconds);
                        starting.Dispose();
                    } : null;
                    using var relay = new SessionRelay(socket, host, _config.Limits, identity.SessionId, _logger, ready);
                    reason = await relay.RunAsync(context.RequestAborted, _stopping);
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

        // The host has exited: its transcript is complete on disk and is sealed now, whatever ended the session.
        reason = await _transcripts.SealAsync(identity.SessionId, reason);
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

    private async Task RefuseAsync(HttpContext context, GatewayFailure failure, string message)
    {
        if (failure != GatewayFailure.InvalidCredential)
        {
            // Counted, and written once per source and interval: a flood of refusals is one line, not thousands.
            _guard.Refusals.Record(SourceAddress.KeyOf(context.Connection.RemoteIpAddress), failure.ToString());
        }

        context.Response.StatusCode = (int)failure.StatusCode();
        context.Response.Headers[GatewayFailureExtensions.ErrorHeader] = failure.ToString();
        context.Response.Headers[GatewayFailureExtensions.MessageHeader] = HeaderSafe(message);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>Header values are printable ASCII: anything else a client sent is shown as '?'.</summary>
    private static string HeaderSafe(string text)
        => string.Create(text.Length, text, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });

    /// <summary>The time a login has left to be admitted (verified, and given a host start slot).</summary>
    private readonly struct AdmissionDeadline(TimeSpan wait)
    {
        private readonly long _end = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);

        public TimeSpan Remaining => TimeSpan.FromSeconds(Math.Max(0, _end - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
    }
}
