namespace Pep.Core.Stamp.Manifest;

/// <summary>A command the endpoint runs for a role: an argv array (never a shell) and how long it may take.</summary>
public sealed record RoleCommand
{
    public required IReadOnlyList<string> Argv { get; init; }

    public int TimeoutSeconds { get; init; } = 60;
}
