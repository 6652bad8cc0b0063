using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-SyslogServer: where every instance forwards its security events, from the deployment's shared settings (through the gateway).</summary>
[Cmdlet(VerbsCommon.Get, "SyslogServer")]
[OutputType(typeof(SyslogServerSettings))]
public sealed class GetSyslogServerCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        SyslogServerReply server = Ask<SyslogServerReply>(new GetSyslogServerRequest());
        WriteObject(SetSyslogServerCommand.Shown(server));
    }
}
