using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-AzSLegalNotice: the caption and text every new session shows before its first prompt, from the deployment's shared settings (through the gateway).</summary>
[Cmdlet(VerbsCommon.Get, "AzSLegalNotice")]
[OutputType(typeof(LegalNotice))]
public sealed class GetAzSLegalNoticeCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        LegalNoticeReply notice = Ask<LegalNoticeReply>(new GetLegalNoticeRequest());
        WriteObject(new LegalNotice(notice.Caption, notice.Text));
    }
}
