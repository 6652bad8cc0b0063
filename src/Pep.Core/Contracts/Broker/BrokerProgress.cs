namespace Pep.Core.Contracts.Broker;

/// <summary>Progress of a long request, for the cmdlet's Write-Progress (-1: not known).</summary>
public sealed record BrokerProgress(string Status, int PercentComplete, int SecondsRemaining) : BrokerReply
{
    public override bool IsFinal => false;
}
