using System.Management.Automation;

namespace Pep.SessionModule.Support;

/// <summary>Get-SupportSessionInfo: whether this session is locked or elevated, who unlocked it, since and until when.</summary>
[Cmdlet(VerbsCommon.Get, "SupportSessionInfo")]
[OutputType(typeof(SupportSessionInfo))]
public sealed class GetSupportSessionInfoCommand : SupportCmdlet
{
    protected override void EndProcessing()
        => WriteObject(SupportSessionInfo.From(Support.Session?.GetStatus(), Support.AuthorityKeyId));
}
