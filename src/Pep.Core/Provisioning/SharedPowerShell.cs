using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Provisioning;

/// <summary>
/// A copy of the pinned PowerShell that session accounts can run. <c>dotnet tool restore</c> unpacks it into root's
/// NuGet cache (under /root, mode 0700, and pwsh itself 0744): a session host running as a session account can
/// neither reach nor execute it there. Made by <c>pep init</c> and <c>pep serve</c> as root, once per machine;
/// <see cref="PowerShellLocator"/> prefers it.
/// </summary>
public static class SharedPowerShell
{
    public static readonly string Folder = Path.Combine("/opt/pep/powershell", PowerShellLocator.PinnedVersion);

    public static string Executable => Path.Combine(Folder, "pwsh");

    private static readonly TimeSpan CopyTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Copies the located pwsh's folder (readable and runnable by all, writable by root only) unless it is there.</summary>
    public static async Task EnsureAsync(string locatedPwsh, CancellationToken cancellationToken)
    {
        if (File.Exists(Executable) || Path.GetFullPath(locatedPwsh).StartsWith(Folder + "/", StringComparison.Ordinal))
        {
            return;
        }

        string partial = Folder + ".partial";
        await RunAsync(["rm", "-rf", partial], cancellationToken);
        await RunAsync(["mkdir", "-p", "-m", "0755", Path.GetDirectoryName(Folder)!], cancellationToken);
        await RunAsync(["cp", "-R", Path.GetDirectoryName(Path.GetFullPath(locatedPwsh))!, partial], cancellationToken);
        await RunAsync(["chmod", "-R", "u=rwX,go=rX", partial], cancellationToken);
        await RunAsync(["chmod", "0755", Path.Combine(partial, "pwsh")], cancellationToken);
        await RunAsync(["mv", "-T", partial, Folder], cancellationToken);
    }

    private static async Task RunAsync(string[] argv, CancellationToken cancellationToken)
    {
        CommandOutcome outcome = await CommandRunner.RunAsync(argv, CopyTimeout, cancellationToken);
        if (!outcome.Succeeded)
        {
            throw new DeploymentException($"'{string.Join(' ', argv)}' failed ({outcome.Describe()}): {outcome.Output.Trim()}");
        }
    }
}
