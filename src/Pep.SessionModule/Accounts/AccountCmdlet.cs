using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using Pep.Core.Accounts;
using Pep.Core.Accounts.Stores;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Base of the CloudAdmin account cmdlets: opens the shared account store with the stamp's private key
/// (the session host runs as the service account, which can read it), so that a change signed here is
/// trusted at once by every instance.
/// </summary>
public abstract class AccountCmdlet : StampCmdlet
{
    protected sealed class OpenAccounts(SqliteAccountStore store, SigningKey key, AccountService service) : IDisposable
    {
        public AccountService Service { get; } = service;

        public void Dispose()
        {
            store.Dispose();
            key.Dispose();
        }
    }

    protected OpenAccounts Open()
    {
        DeploymentConfig config = LoadDeployment();
        SigningKey key;
        try
        {
            key = SigningKey.Load(Session.Layout.StampPrivateKey);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            Fail("StampKeyUnavailable", ErrorCategory.PermissionDenied, "stamp signing key", "The stamp's signing key cannot be read by the endpoint; accounts cannot be changed.", e);
            throw;
        }

        var store = new SqliteAccountStore(Session.Layout.AccountDatabase);
        // The instance's own floor of versions seen: a change made here is numbered above anything this instance saw.
        var floor = new AccountVersionFloor(Session.Layout.AccountVersionFloor(Session.Identity.Instance));
        return new OpenAccounts(store, key, new AccountService(store, key, config.Stamp.DomainNetBiosName, config.Limits.AccountBudget(), floor, TimeProvider.System));
    }

    protected AccountName ParseName(string userName, string domain)
    {
        AccountName? name = AccountName.TryParse(userName, domain, out string? error);
        if (name is null)
        {
            Fail("InvalidUserName", ErrorCategory.InvalidArgument, userName, error!);
        }

        return name!;
    }

    /// <summary>The account this session was opened with.</summary>
    protected static AccountName? SessionAccount(string domain) => AccountName.TryParse(Session.Identity.User, domain, out _);

    /// <summary>Gives the password's characters to <paramref name="use"/> and wipes them afterwards.</summary>
    protected static T WithPassword<T>(SecureString password, Func<char[], T> use)
    {
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
        char[] characters = new char[password.Length];
        try
        {
            Marshal.Copy(unmanaged, characters, 0, characters.Length);
            return use(characters);
        }
        finally
        {
            Array.Clear(characters);
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
        }
    }

    protected void CheckPolicy(SecureString password, AccountName name)
    {
        if (WithPassword(password, chars => PasswordPolicy.Check(chars, name.User)) is { } problem)
        {
            Fail("PasswordPolicyNotMet", ErrorCategory.InvalidArgument, name.User, problem + " " + PasswordPolicy.Description);
        }
    }
}
