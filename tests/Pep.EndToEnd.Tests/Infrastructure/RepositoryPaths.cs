using Pep.Core.Platform;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>Where the built pep, its modules and pwsh are, found from the test assembly's own location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    public static string CliDirectory => Path.Combine(Root, "src", "Pep.Cli", "bin", Configuration, "net10.0");

    public static string PepDll => Path.Combine(CliDirectory, "pep.dll");

    public static string ClientModule => Path.Combine(CliDirectory, "modules", "PrivilegedEndpoint", "PrivilegedEndpoint.psd1");

    /// <summary>Where the build packs the client module as a NuGet package (PrivilegedEndpoint.&lt;version&gt;.nupkg).</summary>
    public static string ClientModulePackages => Path.Combine(Root, "artifacts", "packages");

    public static string Pwsh => PowerShellLocator.Locate(null);

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrivilegedEndpoint.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (PrivilegedEndpoint.slnx) was not found above the test assembly.");
    }
}
