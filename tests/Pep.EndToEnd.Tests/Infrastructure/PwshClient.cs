namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>Runs the real pwsh as the operator's client, with the client module imported.</summary>
public static class PwshClient
{
    /// <summary>Sets $cred (password from the environment, never the command line), $computers and $thumbprint.</summary>
    public static string Prelude(string user, string computerNames, string thumbprint) => $$"""
        $ErrorActionPreference = 'Stop'
        $ProgressPreference = 'SilentlyContinue'
        Import-Module '{{RepositoryPaths.ClientModule}}'
        $cred = [pscredential]::new('{{user.Replace("'", "''")}}', (ConvertTo-SecureString $env:PEP_TEST_PASSWORD -AsPlainText -Force))
        $computers = @({{computerNames}})
        $thumbprint = '{{thumbprint}}'

        """;

    /// <summary>Starts a client script in the background (for tests that kill it, or act while it runs).</summary>
    public static System.Diagnostics.Process Start(string script, string password)
    {
        // pwsh has read the whole file before it runs the first line: the script removes itself at once, so it
        // goes also when a test kills the client.
        string file = Path.Combine(Path.GetTempPath(), $"pep-client-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, "Remove-Item -LiteralPath $PSCommandPath\n" + script);
        var startInfo = new System.Diagnostics.ProcessStartInfo(RepositoryPaths.Pwsh)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file })
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PEP_TEST_PASSWORD"] = password;
        startInfo.Environment["NO_COLOR"] = "1";
        return System.Diagnostics.Process.Start(startInfo)!;
    }

    /// <summary>Runs <paramref name="script"/> in a new client pwsh, the password in its environment, within <paramref name="timeout"/> (180 s by default).</summary>
    /// <param name="script">The client script.</param>
    /// <param name="password">The operator's password, given to the script as <c>$env:PEP_TEST_PASSWORD</c>.</param>
    /// <param name="timeout">How long the client may run.</param>
    /// <param name="environment">More variables for the client process (the password is set from <paramref name="password"/>).</param>
    public static async Task<ProcessResult> RunAsync(string script, string password, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string file = Path.Combine(Path.GetTempPath(), $"pep-client-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["PEP_TEST_PASSWORD"] = password };
            return await ProcessRunner.RunAsync(RepositoryPaths.Pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", file], variables, timeout: timeout);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
