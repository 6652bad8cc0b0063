namespace Pep.Core.Platform;

/// <summary>The outcome of one declared command.</summary>
public sealed record CommandOutcome(int? ExitCode, bool TimedOut, string Output)
{
    public bool Succeeded => ExitCode == 0;

    public string Describe()
        => TimedOut ? "did not finish in time" : ExitCode is null ? "could not be started" : $"exit code {ExitCode}";
}
