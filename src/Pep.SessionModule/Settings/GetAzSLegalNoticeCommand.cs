using System.Management.Automation;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-AzSLegalNotice: the caption and text every new session shows before its first prompt.</summary>
[Cmdlet(VerbsCommon.Get, "AzSLegalNotice")]
[OutputType(typeof(LegalNotice))]
public sealed class GetAzSLegalNoticeCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        try
        {
            WriteObject(LegalNotice.Load(Session.Layout.LegalNotice));
        }
        catch (StampManifestException e)
        {
            Fail("LegalNoticeUnreadable", ErrorCategory.ReadError, Session.Layout.LegalNotice, e.Message, e);
        }
    }
}
