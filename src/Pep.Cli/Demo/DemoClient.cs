using System.Diagnostics;
using Pep.Core.Platform;

namespace Pep.Cli.Demo;

/// <summary>
/// Runs one of the demo's client scripts (<c>demo/*.ps1</c> beside pep, from <c>Demo/Scripts</c>) in the real
/// pwsh with the client module. What a script needs reaches it in its environment (<c>PEP_DEMO_*</c>): nothing is
/// spliced into script text, and the password is on no command line.
/// </summary>
internal sealed class DemoClient(string password, string computers, string thumbprint, string authorityDirectory)
{
    public const string Interactive = "Interactive.ps1";
    public const string Tour = "Tour.ps1";
    public const string SupportTour = "SupportTour.ps1";
    public const string Failover = "Failover.ps1";

    public async Task<int> RunAsync(string script, bool interactive, CancellationToken cancellationToken)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "demo", script);
        var startInfo = new ProcessStartInfo(PowerShellLocator.Locate(null)) { UseShellExecute = false };

        // Dot-sourced, so that an interactive session's Enter-PSSession leaves the operator at the endpoint's prompt.
        string command = ". '" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
        foreach (string argument in interactive ? new[] { "-NoLogo", "-NoProfile", "-NoExit", "-Command", command } : ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", command])
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PEP_DEMO_PASSWORD"] = password;
        startInfo.Environment["PEP_DEMO_CLIENT_MODULE"] = ModuleLocations.ClientModuleManifest;
        startInfo.Environment["PEP_DEMO_COMPUTERS"] = computers;
        startInfo.Environment["PEP_DEMO_THUMBPRINT"] = thumbprint;
        startInfo.Environment["PEP_DEMO_AUTHORITY"] = authorityDirectory;
        startInfo.Environment["PEP_DEMO_PEP"] = string.Join('\n', PepExecutable.Argv);
        using Process client = Process.Start(startInfo) ?? throw new InvalidOperationException("pwsh did not start.");
        await client.WaitForExitAsync(cancellationToken);
        return client.ExitCode;
    }
}
