using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-SyslogClient: which events the instances forward and the client certificate they show a TLS syslog server (never its key).</summary>
[Cmdlet(VerbsCommon.Get, "SyslogClient")]
[OutputType(typeof(SyslogClientSettings))]
public sealed class GetSyslogClientCommand : StampCmdlet
{
    protected override void EndProcessing()
        => WriteObject(SetSyslogClientCommand.Shown(Ask<SyslogClientReply>(new GetSyslogClientRequest())));
}
