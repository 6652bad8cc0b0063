using System.Management.Automation;
using System.Security;
using Pep.Core.Accounts;
using Pep.SessionModule.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Base of the CloudAdmin account cmdlets. The work is the gateway's (the broker's account requests): only it
/// reads the stamp's private key and the deployment's store, so a change signed there is trusted at once by every
/// instance. The cmdlets check the name and the password policy first only to ask for confirmation of something
/// that can be done; the gateway checks them again.
/// </summary>
public abstract class AccountCmdlet : StampCmdlet
{
    /// <summary>The stamp's NetBIOS domain, in which account names are qualified.</summary>
    protected string Domain() => LoadDeployment().Stamp.DomainNetBiosName;

    protected AccountName ParseName(string userName, string domain)
    {
        AccountName? name = AccountName.TryParse(userName, domain, out string? error);
        if (name is null)
        {
            Fail("InvalidUserName", ErrorCategory.InvalidArgument, userName, error!);
        }

        return name!;
    }

    protected void CheckPolicy(SecureString password, AccountName name)
    {
        if (SecretBytes.WithCharacters(password, chars => PasswordPolicy.Check(chars, name.User)) is { } problem)
        {
            Fail("PasswordPolicyNotMet", ErrorCategory.InvalidArgument, name.User, problem + " " + PasswordPolicy.Description);
        }
    }
}
