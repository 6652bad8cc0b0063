namespace Pep.Core.Contracts.Broker;

/// <summary>A warning for the cmdlet's Write-Warning.</summary>
public sealed record BrokerWarning(string Message) : BrokerReply
{
    public override bool IsFinal => false;
}
