using Pep.Core.Deployment;

namespace Pep.Core.Platform;

/// <summary>
/// Finds the pwsh that hosts sessions: the deployment's setting, else <c>PEP_PWSH</c>, else the copy of the pinned
/// PowerShell that session accounts can run, else the PowerShell tool pinned in this repository's tool manifest as
/// <c>dotnet tool restore</c> unpacks it.
/// </summary>
public static class PowerShellLocator
{
    public const string PinnedVersion = "7.6.9";

    public static string Locate(string? configured)
    {
        foreach (string? candidate in Candidates(configured))
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DeploymentException(
            $"PowerShell {PinnedVersion} was not found. Run 'dotnet tool restore' in the repository, or set PEP_PWSH to the path of pwsh.");
    }

    private static IEnumerable<string?> Candidates(string? configured)
    {
        yield return configured;
        yield return Environment.GetEnvironmentVariable("PEP_PWSH");
        // The copy session accounts can run (Provisioning.SharedPowerShell), made by pep init or pep serve as root.
        yield return Path.Combine("/opt/pep/powershell", PinnedVersion, "pwsh");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        yield return Path.Combine(packages, "powershell", PinnedVersion, "tools", "net10.0", "any", "unix", "pwsh");
    }
}
