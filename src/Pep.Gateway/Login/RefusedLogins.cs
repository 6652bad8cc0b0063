using System.Net;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Login;

/// <summary>A refused login, whichever door it came through: logged with its reason, and counted against its source.</summary>
internal static class RefusedLogins
{
    /// <summary>Logs why a login was refused (the client is told only that the credential was not accepted) and counts it against the source.</summary>
    public static void Record(LoginResult login, string userText, IPAddress? client, string source, PreAuthGuard guard, ILogger logger)
    {
        switch (login.Outcome)
        {
            case LoginOutcome.RecordNotTrusted:
                GatewayLog.RecordNotTrusted(logger, login.User!);
                break;
            case LoginOutcome.RecordReplayed:
                GatewayLog.RecordReplayed(logger, login.User!);
                break;
            case LoginOutcome.LockedByAdministrator:
                GatewayLog.LockedByAdministrator(logger, login.User!, client);
                break;
            case LoginOutcome.AttemptBudgetSpent:
                GatewayLog.AttemptBudgetSpent(logger, login.User!, client);
                break;
            default:
                GatewayLog.LoginRefused(logger, Refusal.HeaderSafe(Refusal.Truncate(userText)), client);
                break;
        }

        guard.Throttle.Failed(source);
        if (guard.Throttle.Check(source).BlockedUntil is { } until)
        {
            GatewayLog.SourceBlocked(logger, source, until);
        }
    }
}
