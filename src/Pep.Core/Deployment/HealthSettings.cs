namespace Pep.Core.Deployment;

/// <summary>
/// The <c>health</c> section of deployment.json. <c>GET /health</c> answers before authentication, so what it
/// costs is bounded: requests per source address, and at most one write probe of the transcript directory per
/// <see cref="TranscriptProbeSeconds"/>, however often it is asked.
/// </summary>
public sealed record HealthSettings
{
    /// <summary>Requests each source address may make per second, on average (at least 0.001).</summary>
    public double RequestsPerSecondPerSource { get; init; } = 10;

    /// <summary>Requests a source address may make at once before the rate applies (1 to 1,000).</summary>
    public int BurstPerSource { get; init; } = 20;

    /// <summary>How long a write probe of the transcript directory is trusted before the next one (1 s to 1 h).</summary>
    public int TranscriptProbeSeconds { get; init; } = 10;

    /// <summary>The time one request adds to a source's allowance.</summary>
    public TimeSpan RequestInterval => TimeSpan.FromSeconds(1 / Math.Max(RequestsPerSecondPerSource, 0.001));

    public int Burst => Math.Clamp(BurstPerSource, 1, 1000);

    public TimeSpan TranscriptProbeInterval => TimeSpan.FromSeconds(Math.Clamp(TranscriptProbeSeconds, 1, 3600));
}
