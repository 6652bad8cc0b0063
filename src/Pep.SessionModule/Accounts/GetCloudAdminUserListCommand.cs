using System.Management.Automation;
using Pep.Core.Accounts;

namespace Pep.SessionModule.Accounts;

/// <summary>Get-CloudAdminUserList: the accounts that can use the endpoint.</summary>
[Cmdlet(VerbsCommon.Get, "CloudAdminUserList")]
[OutputType(typeof(CloudAdminUser))]
public sealed class GetCloudAdminUserListCommand : AccountCmdlet
{
    protected override void EndProcessing()
    {
        using OpenAccounts accounts = Open();
        foreach (AccountRecord record in accounts.Service.List().OrderBy(r => r.User, StringComparer.Ordinal))
        {
            WriteObject(new CloudAdminUser($"{accounts.Service.Domain}\\{record.User}", record.CreatedUtc.UtcDateTime, record.PasswordChangedUtc.UtcDateTime,
                accounts.Service.IsTrusted(record)));
        }
    }
}
