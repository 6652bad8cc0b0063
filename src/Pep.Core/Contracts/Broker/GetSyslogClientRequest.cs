namespace Pep.Core.Contracts.Broker;

/// <summary>Get-SyslogClient (answered with <see cref="SyslogClientReply"/>).</summary>
public sealed record GetSyslogClientRequest : BrokerRequest
{
    public override string Describe() => "Get-SyslogClient";
}
