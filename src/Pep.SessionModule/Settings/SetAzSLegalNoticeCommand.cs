using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Set-AzSLegalNotice: sets the notice new sessions of every instance show (the deployment's shared settings, through the gateway); empty caption and text remove it.</summary>
[Cmdlet(VerbsCommon.Set, "AzSLegalNotice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LegalNotice))]
public sealed class SetAzSLegalNoticeCommand : StampCmdlet
{
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    [ValidateLength(0, LegalNotice.MaxCaptionLength)]
    public string Caption { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    [ValidateLength(0, LegalNotice.MaxTextLength)]
    public string Text { get; set; } = string.Empty;

    protected override void EndProcessing()
    {
        if (new LegalNotice(Caption, Text).Check() is { } problem)
        {
            Fail("LegalNoticeHasControlCharacters", ErrorCategory.InvalidArgument, Caption, problem);
        }

        if (!ShouldProcess("legal notice of new sessions", "Set"))
        {
            return;
        }

        LegalNoticeReply notice = Ask<LegalNoticeReply>(new SetLegalNoticeRequest(Caption, Text));
        WriteObject(new LegalNotice(notice.Caption, notice.Text));
    }
}
