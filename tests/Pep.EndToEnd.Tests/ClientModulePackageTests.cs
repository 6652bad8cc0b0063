using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The client module as operators get it (issue 13): the package the build made, installed with PowerShell's own
/// PSResourceGet from a folder repository into an empty module path of a fresh pwsh, then New-PepSession (loaded
/// by command discovery from the installed copy) to a running endpoint.
/// </summary>
public sealed class ClientModulePackageTests : IAsyncLifetime
{
    private TestDeployment? _deployment;
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pep-module-install-");

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(instanceCount: 1);
        await _deployment.StartAllAsync();
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        _scratch.Delete(recursive: true);
    }

    [Fact]
    public async Task ThePackage_InstallsWithInstallPSResourceIntoAnEmptyModulePath_AndItsNewPepSessionReachesTheEndpoint()
    {
        TestDeployment deployment = _deployment!;
        string package = Assert.Single(Directory.GetFiles(RepositoryPaths.ClientModulePackages, "PrivilegedEndpoint.*.nupkg"));
        string repository = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "repository")).FullName;
        File.Copy(package, Path.Combine(repository, Path.GetFileName(package)));
        string home = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "home")).FullName;
        // A home of its own: the current user's module path, PSResourceGet's repository list and pwsh's caches all start
        // empty. The folders must exist: .NET answers "" for a special folder that does not, and PSResourceGet would then
        // keep its repository list in the working directory.
        string data = Directory.CreateDirectory(Path.Combine(home, ".local", "share")).FullName;
        string config = Directory.CreateDirectory(Path.Combine(home, ".config")).FullName;
        string cache = Directory.CreateDirectory(Path.Combine(home, ".cache")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = data,
            ["XDG_CONFIG_HOME"] = config,
            ["XDG_CACHE_HOME"] = cache,
            ["PSModulePath"] = "",
            ["PEP_TEST_PASSWORD"] = deployment.AdminPassword,
            ["PEP_TEST_REPOSITORY"] = repository,
        };
        string script = $$"""
            $ErrorActionPreference = 'Stop'
            $ProgressPreference = 'SilentlyContinue'
            $before = @(Get-Module -ListAvailable PrivilegedEndpoint).Count
            Register-PSResourceRepository -Name local -Uri $env:PEP_TEST_REPOSITORY -Trusted
            Install-PSResource PrivilegedEndpoint -Repository local
            $installed = Get-Module -ListAvailable PrivilegedEndpoint
            $cred = [pscredential]::new('{{TestDeployment.AdminUser}}', (ConvertTo-SecureString $env:PEP_TEST_PASSWORD -AsPlainText -Force))
            $pep = New-PepSession -ComputerName {{deployment.ComputerNames}} -Credential $cred -CertificateThumbprint '{{deployment.Thumbprint}}' -ConnectingTimeout 180000
            [pscustomobject]@{
                Before = $before; Installed = @($installed).Count; Version = "$($installed.Version)"; Base = $installed.ModuleBase
                Loaded = (Get-Command New-PepSession).Module.ModuleBase; Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
                PowerShellVersion = "$($installed.PowerShellVersion)"; Tags = @($installed.Tags); LicenseUri = "$($installed.LicenseUri)"; ReleaseNotes = "$($installed.ReleaseNotes)"
            } | ConvertTo-Json -Compress
            Remove-PSSession $pep
            """;
        string file = Path.Combine(_scratch.FullName, "install.ps1");
        await File.WriteAllTextAsync(file, script);

        ProcessResult result = await ProcessRunner.RunAsync(RepositoryPaths.Pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", file], environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(0, json.GetProperty("Before").GetInt32());
        Assert.Equal(1, json.GetProperty("Installed").GetInt32());
        string version = json.GetProperty("Version").GetString()!;
        Assert.Equal($"PrivilegedEndpoint.{version}.nupkg", Path.GetFileName(package));
        string expectedBase = Path.Combine(home, ".local", "share", "powershell", "Modules", "PrivilegedEndpoint", version);
        Assert.Equal(expectedBase, json.GetProperty("Base").GetString());
        Assert.Equal(expectedBase, json.GetProperty("Loaded").GetString());
        Assert.True(File.Exists(Path.Combine(data, "PSResourceGet", "PSResourceRepository.xml")), "PSResourceGet kept its repository list outside the test's home.");
        Assert.Equal(deployment.Instances[0].Name, json.GetProperty("Instance").GetString());
        Assert.Equal("7.6", json.GetProperty("PowerShellVersion").GetString());
        Assert.Contains("PrivilegedEndpoint", json.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
        Assert.StartsWith("https://", json.GetProperty("LicenseUri").GetString(), StringComparison.Ordinal);
        Assert.NotEqual("", json.GetProperty("ReleaseNotes").GetString());
    }
}
