using System.Management.Automation;
using Pep.Core.Contracts.Broker;

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
        string domain = Domain();
        string qualified = ParseName(UserName, domain).Qualified(domain);

        // The gateway says first whether the account may be removed (it exists; it is not this session's own), so that
        // nobody is asked to confirm what cannot be done.
        Ask<DoneReply>(new RemoveAccountRequest(UserName, CheckOnly: true));
        bool whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter { IsPresent: true };
        if ((!SkipConfirmation || whatIf) && !ShouldProcess(qualified, "Remove CloudAdmin account"))
        {
            return;
        }

        DoneReply removed = Ask<DoneReply>(new RemoveAccountRequest(UserName, CheckOnly: false));
        WriteHostLine(removed.Message ?? $"Removed {qualified}.");
    }
}
