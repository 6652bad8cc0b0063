using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Sessions;
using Pep.Core.Storage;
using Pep.Gateway.Admission;
using Pep.Gateway.Hosting;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Login;

/// <summary>
/// The <c>/PrivilegedEndpoint</c> WebSocket endpoint (<see cref="WireProtocol.SessionPath"/>), a session's way
/// through the HTTPS front door: the request is checked, the login verified (<see cref="LoginAdmission"/>), and the
/// session run by <see cref="SessionStarter"/> (the same for the SSH door). It builds none of these:
/// <see cref="GatewayServer"/> does. Every refusal goes through <see cref="Refusal"/>.
/// </summary>
internal sealed class SessionEndpoint
{
    private readonly GatewayOptions _options;
    private readonly string _domain;
    private readonly LoginAdmission _admission;
    private readonly PreAuthGuard _guard;
    private readonly SessionStarter _starter;
    private readonly ILogger _logger;
    private readonly TimeSpan _ticketLifetime;

    /// <summary><paramref name="ticketLifetime"/>: how long the re-login tickets this door hands out last (zero: none are issued).</summary>
    public SessionEndpoint(GatewayOptions options, string domain, PreAuthGuard guard, LoginAdmission admission, SessionStarter starter, TimeSpan ticketLifetime, ILogger logger)
    {
        _ticketLifetime = ticketLifetime;
        _guard = guard;
        _options = options;
        _domain = domain;
        _admission = admission;
        _starter = starter;
        _logger = logger;
    }

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

        if (_starter.IsFull)
        {
            await RefuseAsync(context, FailureKind.TooManySessions, _starter.FullMessage);
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

            // The exact address, not the source key (an IPv6 /64): a ticket is bound to the address that earned it. A
            // connection without one (not TCP) gets no ticket: "unknown" would bind it to every such connection.
            ReloginAttempt? relogin = client is null ? null
                : new ReloginAttempt(client.ToString(), ReloginTicketHeaders.Decode(context.Request.Headers[ReloginTicketHeaders.Ticket].FirstOrDefault()));
            login = await _admission.AuthenticateAsync(userText, password, source, relogin, admission, aborted);
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

        LogTicket(login, userText, client);
        if (login.Outcome != LoginOutcome.Success)
        {
            RefusedLogins.Record(login, userText, client, source, _guard, _logger);
            await RefuseAsync(context, FailureKind.InvalidCredential, "The user name or password is incorrect.");
            return;
        }

        _guard.Throttle.Succeeded(source);
        // From here the connection holds a session slot, not a place among those not yet logged in.
        context.Features.Get<PreAuthLease>()?.Dispose();
        string qualifiedUser = AccountName.TryParse(login.User, _domain, out _)!.Qualified(_domain);
        GatewayLog.LoginSucceeded(_logger, qualifiedUser, client);
        if (login.IssuedTicket is not null)
        {
            GatewayLog.ReloginTicketIssued(_logger, qualifiedUser, client, _ticketLifetime.TotalMinutes);
        }

        await _starter.RunAsync(new HttpSessionClient(context, _guard.Refusals) { ReloginTicket = login.IssuedTicket }, qualifiedUser, client?.ToString() ?? "unknown", new HostCultures(culture, uiCulture), admission);
    }

    /// <summary>Says what became of the re-login ticket the login presented, if it presented one.</summary>
    private void LogTicket(LoginResult login, string userText, IPAddress? client)
    {
        switch (login.Relogin)
        {
            case ReloginTicketOutcome.None:
                break;
            case ReloginTicketOutcome.Accepted:
                GatewayLog.ReloginTicketAccepted(_logger, AccountName.TryParse(login.User, _domain, out _)!.Qualified(_domain), client, _ticketLifetime.TotalMinutes);
                break;
            default:
                GatewayLog.ReloginTicketRefused(_logger, Refusal.HeaderSafe(Refusal.Truncate(userText)), client, login.Relogin);
                break;
        }
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
