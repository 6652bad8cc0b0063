namespace Pep.Core.Contracts.Broker;

/// <summary>Whether a role's on-demand log command succeeded in time, and what it said or how it failed.</summary>
public sealed record OnDemandLogOutcome(string Role, bool Succeeded, string Detail);
