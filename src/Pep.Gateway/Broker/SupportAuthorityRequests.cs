using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Gateway.Broker;

/// <summary>
/// The support authority's exchanges that need the gateway: a CloudAdmin password recovery (the instance's waiting
/// recovery lives here, in the gateway's memory; the account is changed with the stamp key through
/// <see cref="AccountRequests"/>), and break the glass's request tokens, recorded in the audit log (and so forwarded to
/// syslog) before the session shows them. Every field is checked here again.
/// </summary>
internal sealed class SupportAuthorityRequests(StateLayout layout, string instance, AccountRequests accounts, PasswordRecovery recovery, ILogger logger)
{
    /// <summary>Tries at writing the recovered password when another change wins the race (as AccountService's own changes).</summary>
    private const int ChangeAttempts = 5;

    /// <summary>Records a break-the-glass request token the session made, before the session shows it.</summary>
    public BrokerReply SupportTokenIssued(SupportTokenIssuedRequest request, BrokerCall call)
    {
        GatewayLog.SupportTokenRequested(logger, call.Session.SessionId, call.Session.User, request.SupportSessionId, request.RequestHash[..16], request.ExpiresUtc);
        return new DoneReply(null);
    }

    /// <summary>
    /// A recovery token for the named account (or the deployment's initial CloudAdmin account), committing to the new
    /// password's verifier, which is derived here and kept in memory; the password itself is wiped once derived.
    /// </summary>
    public BrokerReply RequestRecovery(RequestPasswordRecoveryRequest request, BrokerCall call)
    {
        if (LoadConfig() is not { } config)
        {
            return AccountRequests.Failure("StampConfigurationUnreadable", BrokerErrorCategory.ReadError, layout.ConfigFile, "The deployment's settings cannot be read.");
        }

        if ((request.UserName ?? config.InitialCloudAdmin) is not { } userName)
        {
            return AccountRequests.Failure("PasswordRecoveryAccountUnknown", BrokerErrorCategory.InvalidArgument, null,
                "This deployment does not record the CloudAdmin account 'pep init' made; name the account to recover with -UserName.");
        }

        return accounts.With(service =>
        {
            if (AccountRequests.Parse(userName, service.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            string qualified = name!.Qualified(service.Domain);
            return AccountRequests.WithChars(request.NewPassword, password =>
            {
                if (AccountRequests.CheckPolicy(password, name) is { } weak)
                {
                    return weak;
                }

                if (service.Find(name) is null)
                {
                    return AccountRequests.NotFound(qualified);
                }

                if (LoadAuthority() is not { } authority)
                {
                    return NoAuthority();
                }

                using (authority)
                {
                    Guid? replaced = recovery.PendingRecoveryId;
                    PasswordRecoveryToken token = recovery.CreateRequest(
                        authority.EncryptionKey, qualified, PasswordHasher.Create(password), PasswordRecoveryRequest.BindingOf(config.Stamp.CloudId, instance));
                    GatewayLog.PasswordRecoveryRequested(logger, call.Session.SessionId, call.Session.User, qualified, token.RecoveryId, token.RequestHash[..16], token.ExpiresUtc,
                        replaced is { } earlier ? $"; it replaces recovery {earlier}, which can no longer be completed" : "");
                    return new PasswordRecoveryTokenReply(token.Text, qualified, token.RecoveryId, token.ExpiresUtc.UtcDateTime);
                }
            });
        });
    }

    /// <summary>
    /// Checks the authority's response against this instance's waiting recovery and, unless only checking, sets the
    /// committed verifier on the account (signed with the stamp key) and forgets the recovery: a response works once.
    /// </summary>
    public BrokerReply CompleteRecovery(CompletePasswordRecoveryRequest request, BrokerCall call)
    {
        if (LoadAuthority() is not { } authority)
        {
            return NoAuthority();
        }

        using (authority)
        {
            if (request.CheckOnly)
            {
                return Redeem(authority, request, call, consume: false, out RecoveredPassword? checkedRecovery) is { } refused
                    ? refused
                    : new PasswordRecoveryReply(checkedRecovery!.Account, checkedRecovery.RecoveryId);
            }

            // The response is used up only once the stamp key and the store are at hand (inside With): a gateway that
            // cannot change accounts now leaves the recovery waiting.
            return accounts.With(service =>
            {
                if (Redeem(authority, request, call, consume: true, out RecoveredPassword? recovered) is { } refused)
                {
                    return refused;
                }

                if (AccountRequests.Parse(recovered!.Account, service.Domain, out AccountName? name) is { } invalid)
                {
                    return invalid;
                }

                for (int attempt = 0; attempt < ChangeAttempts; attempt++)
                {
                    if (service.Find(name!) is not { } current)
                    {
                        return AccountRequests.NotFound(recovered.Account);
                    }

                    if (service.TryReplaceVerifier(current, recovered.Verifier))
                    {
                        GatewayLog.PasswordRecoveryCompleted(logger, call.Session.SessionId, call.Session.User, recovered.Account, recovered.RecoveryId, recovered.RequestHash[..16]);
                        return new PasswordRecoveryReply(recovered.Account, recovered.RecoveryId);
                    }
                }

                return AccountRequests.Failure("CloudAdminUserChanged", BrokerErrorCategory.ResourceUnavailable, recovered.Account,
                    $"{recovered.Account} kept being changed by someone else meanwhile; start the recovery again.");
            });
        }
    }

    /// <summary>Null with the recovery the response answers, or the refusal (logged) with its error id and category.</summary>
    private BrokerFailure? Redeem(SupportAuthorityBundle authority, CompletePasswordRecoveryRequest request, BrokerCall call, bool consume, out RecoveredPassword? recovered)
    {
        try
        {
            recovered = recovery.Redeem(authority.SigningKey, request.ResponseToken, consume);
            return null;
        }
        catch (SupportTokenException e)
        {
            GatewayLog.PasswordRecoveryRefused(logger, call.Session.SessionId, call.Session.User, e.Failure.ToString());
            recovered = null;
            BrokerErrorCategory category = e.Failure switch
            {
                SupportTokenFailure.Invalid => BrokerErrorCategory.SecurityError,
                SupportTokenFailure.Expired => BrokerErrorCategory.OperationTimeout,
                SupportTokenFailure.NoPendingRequest => BrokerErrorCategory.InvalidOperation,
                _ => BrokerErrorCategory.InvalidData,
            };
            return AccountRequests.Failure("PasswordRecoveryToken" + e.Failure, category, nameof(request.ResponseToken), e.Message);
        }
    }

    private DeploymentConfig? LoadConfig()
    {
        try
        {
            return DeploymentConfig.Load(layout.ConfigFile);
        }
        catch (DeploymentException)
        {
            return null;
        }
    }

    /// <summary>The registered authority's public keys, read for each request (a registration may replace them), or null.</summary>
    private SupportAuthorityBundle? LoadAuthority()
    {
        try
        {
            return File.Exists(layout.SupportAuthorityBundle) ? SupportAuthorityBundle.Load(layout.SupportAuthorityBundle) : null;
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static BrokerFailure NoAuthority()
        => AccountRequests.Failure("SupportAuthorityNotRegistered", BrokerErrorCategory.NotEnabled, null,
            "No usable support authority is registered with this deployment ('pep authority register'), so no recovery can be answered.");
}
