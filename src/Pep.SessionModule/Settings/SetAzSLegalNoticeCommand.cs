using System.Management.Automation;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Set-AzSLegalNotice: sets the notice new sessions show; empty caption and text remove it.</summary>
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
        if ((Caption + Text).Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
        {
            Fail("LegalNoticeHasControlCharacters", ErrorCategory.InvalidArgument, Caption, "The caption and text may not hold control characters (other than line breaks and tabs).");
        }

        if (!ShouldProcess("legal notice of new sessions", "Set"))
        {
            return;
        }

        var notice = new LegalNotice(Caption, Text);
        notice.Save(Session.Layout.LegalNotice);
        WriteObject(notice);
    }
}
