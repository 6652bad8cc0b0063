namespace Pep.Core.Contracts.Broker;

/// <summary>A line for the cmdlet's Write-Verbose.</summary>
public sealed record BrokerVerbose(string Message) : BrokerReply
{
    public override bool IsFinal => false;
}
