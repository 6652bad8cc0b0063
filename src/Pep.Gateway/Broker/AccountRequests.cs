using System.Security.Cryptography;
using System.Text;
using Pep.Core.Accounts;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.Core.Storage;

namespace Pep.Gateway.Broker;

/// <summary>
/// The account cmdlets' work, done in the gateway: against the deployment's shared store (the one the gateway's
/// logins use: SQLite, or etcd so that an account made through one instance logs in on every other), signed with
/// the stamp's private key, which only the gateway reads (loaded for the request and disposed after it). Every rule
/// is checked here, whatever the cmdlet checked: the name, the password policy, that a session never removes its
/// own account (known from the session, not from the request).
/// </summary>
internal sealed class AccountRequests(StateLayout layout, IAccountStore store, AccountVersionFloor floor, TimeProvider time)
{
    public BrokerReply List()
        => With(accounts => new AccountListReply([.. accounts.List()
            .OrderBy(r => r.User, StringComparer.Ordinal)
            .Select(r => Shown($"{accounts.Domain}\\{r.User}", r, accounts.IsTrusted(r)))]));

    public BrokerReply Add(NewAccountRequest request)
        => With(accounts =>
        {
            if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            return WithChars(request.Password, password =>
            {
                if (CheckPolicy(password, name!) is { } weak)
                {
                    return weak;
                }

                string qualified = name!.Qualified(accounts.Domain);
                if (!accounts.TryAdd(name, password))
                {
                    return Failure("CloudAdminUserExists", BrokerErrorCategory.ResourceExists, qualified, $"The account {qualified} exists already.");
                }

                return new AccountReply(Shown(qualified, accounts.Find(name)!, trusted: true));
            });
        });

    public BrokerReply Remove(RemoveAccountRequest request, BrokerCall call)
        => With(accounts =>
        {
            if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            string qualified = name!.Qualified(accounts.Domain);
            if (AccountName.TryParse(call.Session.User, accounts.Domain, out _) == name)
            {
                return Failure("CannotRemoveOwnAccount", BrokerErrorCategory.PermissionDenied, qualified, $"{qualified} is the account of this session; remove it from another account's session.");
            }

            if (accounts.Find(name) is null)
            {
                return NotFound(qualified);
            }

            if (request.CheckOnly)
            {
                return new DoneReply(null);
            }

            return accounts.Remove(name) switch
            {
                AccountRemoval.NotFound => NotFound(qualified),
                AccountRemoval.LastAccount => Failure("CannotRemoveLastAccount", BrokerErrorCategory.InvalidOperation, qualified, $"{qualified} is the last CloudAdmin account; add another before removing it."),
                AccountRemoval.Changed => Failure("CloudAdminUserChanged", BrokerErrorCategory.ResourceUnavailable, qualified, $"{qualified} kept being changed by someone else meanwhile; try again."),
                _ => new DoneReply($"Removed {qualified}."),
            };
        });

    /// <summary>A wrong current password counts as a failed login of the account, against the same budget as the gateway's.</summary>
    public BrokerReply SetPassword(SetAccountPasswordRequest request)
        => With(accounts =>
        {
            if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            string qualified = name!.Qualified(accounts.Domain);
            return WithChars(request.NewPassword, newPassword =>
            {
                if (CheckPolicy(newPassword, name) is { } weak)
                {
                    return weak;
                }

                if (accounts.Find(name) is null)
                {
                    return NotFound(qualified);
                }

                if (CheckCurrentPassword(accounts, qualified, request.CurrentPassword) is { } incorrect)
                {
                    return incorrect;
                }

                if (request.CheckOnly)
                {
                    return new DoneReply(null);
                }

                if (accounts.Find(name) is not { } current || !accounts.TryReplacePassword(current, newPassword))
                {
                    return Failure("CloudAdminUserChanged", BrokerErrorCategory.ResourceUnavailable, qualified, $"{qualified} was changed by someone else meanwhile; try again.");
                }

                return new DoneReply($"Changed the password of {qualified}.");
            });
        });

    public BrokerReply ListSshKeys(ListSshKeysRequest request)
        => With(accounts =>
        {
            IEnumerable<AccountRecord> records;
            if (request.UserName is null)
            {
                records = accounts.List().OrderBy(r => r.User, StringComparer.Ordinal);
            }
            else if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }
            else if (accounts.Find(name!) is { } record)
            {
                records = [record];
            }
            else
            {
                return NotFound(name!.Qualified(accounts.Domain));
            }

            return new SshKeyListReply([.. records.SelectMany(r => r.SshKeys.Select(key =>
                new BrokerSshKey($"{accounts.Domain}\\{r.User}", key.Fingerprint, key.Algorithm, key.Comment)))]);
        });

    /// <summary>
    /// A key lets its holder log in as the account, so adding one takes the account's current password (a wrong one
    /// counts as a failed login of the account, as for Set-CloudAdminUserPassword): a session cannot give itself a way
    /// in as another operator, whose name the sealed transcripts would then carry.
    /// </summary>
    public BrokerReply AddSshKey(AddSshKeyRequest request)
        => With(accounts =>
        {
            if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            string qualified = name!.Qualified(accounts.Domain);
            if (SshPublicKey.TryParse(request.PublicKey, out string? keyError) is not { } key)
            {
                return Failure("InvalidSshPublicKey", BrokerErrorCategory.InvalidArgument, qualified, keyError!);
            }

            if (accounts.Find(name) is not { } current)
            {
                return NotFound(qualified);
            }

            if (CheckCurrentPassword(accounts, qualified, request.CurrentPassword) is { } incorrect)
            {
                return incorrect;
            }

            if (current.SshKeys.Any(key.SameKeyAs))
            {
                return Failure("SshKeyExists", BrokerErrorCategory.ResourceExists, key.Fingerprint, $"{qualified} has the key {key.Fingerprint} already.");
            }

            if (request.CheckOnly)
            {
                return new DoneReply(null);
            }

            if (accounts.TryAddSshKey(name, key) is not { } added)
            {
                return NotFound(qualified);
            }

            return !added
                ? Failure("SshKeyExists", BrokerErrorCategory.ResourceExists, key.Fingerprint, $"{qualified} has the key {key.Fingerprint} already.")
                : new DoneReply($"Added the key {key.Fingerprint} to {qualified}.");
        });

    /// <summary>Taking a way in away needs no password, as Remove-CloudAdminUser needs none.</summary>
    public BrokerReply RemoveSshKey(RemoveSshKeyRequest request)
        => With(accounts =>
        {
            if (Parse(request.UserName, accounts.Domain, out AccountName? name) is { } invalid)
            {
                return invalid;
            }

            string qualified = name!.Qualified(accounts.Domain);
            string fingerprint = request.Fingerprint.Trim();
            BrokerFailure NoSuchKey() => Failure("SshKeyNotFound", BrokerErrorCategory.ObjectNotFound, fingerprint, $"{qualified} has no key {fingerprint}.");
            if (accounts.Find(name) is not { } current)
            {
                return NotFound(qualified);
            }

            if (!current.SshKeys.Any(k => k.Fingerprint == fingerprint))
            {
                return NoSuchKey();
            }

            if (request.CheckOnly)
            {
                return new DoneReply(null);
            }

            if (accounts.TryRemoveSshKey(name, fingerprint) is not { } found)
            {
                return NotFound(qualified);
            }

            return found ? new DoneReply($"Removed the key {fingerprint} from {qualified}.") : NoSuchKey();
        });

    /// <summary>Runs <paramref name="work"/> with an account service that can sign, built for this request.</summary>
    internal BrokerReply With(Func<AccountService, BrokerReply> work)
    {
        DeploymentConfig config;
        try
        {
            config = DeploymentConfig.Load(layout.ConfigFile);
        }
        catch (DeploymentException e)
        {
            return Failure("StampConfigurationUnreadable", BrokerErrorCategory.ReadError, layout.ConfigFile, e.Message);
        }

        SigningKey key;
        try
        {
            key = SigningKey.Load(layout.StampPrivateKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            return Failure("StampKeyUnavailable", BrokerErrorCategory.PermissionDenied, "stamp signing key", "The stamp's signing key cannot be read by the endpoint; accounts cannot be changed.");
        }

        using (key)
        {
            try
            {
                return work(new AccountService(store, key, config.Stamp.DomainNetBiosName, config.Limits.AccountBudget(), floor, time));
            }
            catch (StoreUnavailableException e)
            {
                return Failure("AccountStoreUnavailable", BrokerErrorCategory.ResourceUnavailable, "account store", $"The account store cannot be reached: {e.Message}");
            }
        }
    }

    internal static BrokerFailure? Parse(string userName, string domain, out AccountName? name)
    {
        name = AccountName.TryParse(userName, domain, out string? error);
        return name is null ? Failure("InvalidUserName", BrokerErrorCategory.InvalidArgument, userName, error!) : null;
    }

    /// <summary>Null when <paramref name="utf8"/> is the account's password; a wrong one counts as a failed login of the account.</summary>
    private static BrokerFailure? CheckCurrentPassword(AccountService accounts, string qualified, byte[] utf8)
    {
        // AccountService takes the password to check as a string, as the gateway's login does.
        LoginResult check = accounts.Authenticate(qualified, Encoding.UTF8.GetString(utf8), source: null);
        return check.Outcome == LoginOutcome.Success
            ? null
            : Failure("CurrentPasswordIncorrect", BrokerErrorCategory.AuthenticationError, qualified, $"The current password of {qualified} is not correct.");
    }

    internal static BrokerFailure? CheckPolicy(char[] password, AccountName name)
        => PasswordPolicy.Check(password, name.User) is { } problem
            ? Failure("PasswordPolicyNotMet", BrokerErrorCategory.InvalidArgument, name.User, problem + " " + PasswordPolicy.Description)
            : null;

    /// <summary>Gives the password's characters to <paramref name="use"/> and wipes them afterwards.</summary>
    internal static BrokerReply WithChars(byte[] utf8, Func<char[], BrokerReply> use)
    {
        char[] characters = Encoding.UTF8.GetChars(utf8);
        try
        {
            return use(characters);
        }
        finally
        {
            Array.Clear(characters);
        }
    }

    private static BrokerAccount Shown(string qualified, AccountRecord record, bool trusted)
        => new(qualified, record.CreatedUtc.UtcDateTime, record.PasswordChangedUtc.UtcDateTime, trusted);

    internal static BrokerFailure NotFound(string qualified)
        => Failure("CloudAdminUserNotFound", BrokerErrorCategory.ObjectNotFound, qualified, $"There is no account {qualified}.");

    internal static BrokerFailure Failure(string id, BrokerErrorCategory category, string? target, string message) => new(id, category, message, target);
}
