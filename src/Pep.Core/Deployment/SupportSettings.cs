namespace Pep.Core.Deployment;

/// <summary>The <c>support</c> section of deployment.json: how long break-the-glass tokens and elevations last.</summary>
public sealed record SupportSettings
{
    /// <summary>The seed's bound: an elevated session ends after 8 hours at the latest.</summary>
    public const int MaxElevationLimitSeconds = 8 * 3600;

    /// <summary>Longest elevation this stamp allows, whatever the authority granted (1 to 28,800 seconds).</summary>
    public int MaxElevationSeconds { get; init; } = MaxElevationLimitSeconds;

    /// <summary>How long a request token (and the response that answers it) may be used after it was made (5 s to 24 h).</summary>
    public int RequestLifetimeSeconds { get; init; } = 3600;

    /// <summary>
    /// Operating-system groups (by name) whose rights the deployment grants support sessions, given to session hosts
    /// as supplementary groups (README, Security, "What elevated support can do"). Default none. The endpoint's own
    /// groups and root's are refused (<see cref="Identities.SupportGroups"/>).
    /// </summary>
    public IReadOnlyList<string> ElevatedGroups { get; init; } = [];

    public TimeSpan MaxElevation => TimeSpan.FromSeconds(Math.Clamp(MaxElevationSeconds, 1, MaxElevationLimitSeconds));

    public TimeSpan RequestLifetime => TimeSpan.FromSeconds(Math.Clamp(RequestLifetimeSeconds, 5, 24 * 3600));
}
