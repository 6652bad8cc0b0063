namespace Pep.Core.Contracts.Broker;

/// <summary>Get-SyslogServer (answered with <see cref="SyslogServerReply"/>).</summary>
public sealed record GetSyslogServerRequest : BrokerRequest
{
    public override string Describe() => "Get-SyslogServer";
}
