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

    public static async Task<ProcessResult> RunAsync(string script, string password, TimeSpan? timeout = null)
    {
        string file = Path.Combine(Path.GetTempPath(), $"pep-client-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(file, script);
        try
        {
            return await ProcessRunner.RunAsync(RepositoryPaths.Pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", file],
                new Dictionary<string, string> { ["PEP_TEST_PASSWORD"] = password }, timeout: timeout);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
