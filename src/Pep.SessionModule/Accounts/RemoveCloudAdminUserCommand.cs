using System.Management.Automation;
using Pep.Core.Accounts;

namespace Pep.SessionModule.Accounts;

/// <summary>
/// Remove-CloudAdminUser: removes an account, leaving a signed tombstone with the next version in the store
/// so that a copy of the old record written back is refused. Never the last one (the store checks it in the same
/// transaction) and never the one this session runs as. -SkipConfirmation is the original's way to not be
/// asked; -Confirm:$false does the same.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "CloudAdminUser", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RemoveCloudAdminUserCommand : AccountCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, 200)]
    public string UserName { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter SkipConfirmation { get; set; }

    protected override void EndProcessing()
    {
        using OpenAccounts accounts = Open();
        AccountName name = ParseName(UserName, accounts.Service.Domain);
        string qualified = name.Qualified(accounts.Service.Domain);
        if (SessionAccount(accounts.Service.Domain) == name)
        {
            Fail("CannotRemoveOwnAccount", ErrorCategory.PermissionDenied, qualified, $"{qualified} is the account of this session; remove it from another account's session.");
        }

        if (accounts.Service.Find(name) is null)
        {
            Fail("CloudAdminUserNotFound", ErrorCategory.ObjectNotFound, qualified, $"There is no account {qualified}.");
        }

        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter { IsPresent: true };
        if ((!SkipConfirmation || whatIf) && !ShouldProcess(qualified, "Remove CloudAdmin account"))
        {
            return;
        }

        switch (accounts.Service.Remove(name))
        {
            case AccountRemoval.NotFound:
                Fail("CloudAdminUserNotFound", ErrorCategory.ObjectNotFound, qualified, $"There is no account {qualified}.");
                break;
            case AccountRemoval.LastAccount:
                Fail("CannotRemoveLastAccount", ErrorCategory.InvalidOperation, qualified, $"{qualified} is the last CloudAdmin account; add another before removing it.");
                break;
            case AccountRemoval.Changed:
                Fail("CloudAdminUserChanged", ErrorCategory.ResourceUnavailable, qualified, $"{qualified} kept being changed by someone else meanwhile; try again.");
                break;
        }

        WriteHostLine($"Removed {qualified}.");
    }
}
