namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>A support authority made by the real <c>pep authority init</c> in a temporary directory.</summary>
public sealed class SupportAuthorityDirectory : IDisposable
{
    private SupportAuthorityDirectory(string directory) => Directory = directory;

    public string Directory { get; }

    public string PublicBundle => Path.Combine(Directory, "authority-public.json");

    public string GrantLog => Path.Combine(Directory, "grants.log");

    public static async Task<SupportAuthorityDirectory> CreateAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "pep-authority-" + Guid.NewGuid().ToString("N")[..12]);
        ProcessResult init = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "authority", "init", "--out", directory]);
        Assert.True(init.ExitCode == 0, $"pep authority init failed: {init}");
        Assert.Contains("\"signingKey\"", init.StandardOutput, StringComparison.Ordinal);
        return new SupportAuthorityDirectory(directory);
    }

    /// <summary>Registers this authority with a deployment through the real CLI.</summary>
    public async Task RegisterWithAsync(TestDeployment deployment)
    {
        ProcessResult register = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "authority", "register", "--state", deployment.StateDirectory, PublicBundle]);
        Assert.True(register.ExitCode == 0, $"pep authority register failed: {register}");
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; the OS cleans them later.
        }
    }
}
