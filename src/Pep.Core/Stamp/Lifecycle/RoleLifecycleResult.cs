using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Lifecycle;

/// <summary>Whether a role stopped or started in time, and what was observed.</summary>
public sealed record RoleLifecycleResult(string Role, RoleAction Action, bool Succeeded, string Detail, TimeSpan Duration);
