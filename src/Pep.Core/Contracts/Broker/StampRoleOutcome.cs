using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Contracts.Broker;

/// <summary>Whether one role stopped or started in time, and what the gateway observed.</summary>
public sealed record StampRoleOutcome(string Role, RoleAction Action, bool Succeeded, string Detail);
