namespace Pep.Core.Contracts.Broker;

/// <summary>A CloudAdmin account as the cmdlets show it: its qualified name and dates, never its verifier.</summary>
public sealed record BrokerAccount(string UserName, DateTime CreatedUtc, DateTime PasswordChangedUtc, bool Trusted);
