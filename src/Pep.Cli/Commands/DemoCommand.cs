using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;
using Pep.Cli.RoleService;
using Pep.Core.Platform;
using Pep.Core.Provisioning;
using Pep.Gateway.Hosting;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep demo</c>: the embedded default. Prepares a throw-away deployment, starts ERCS01..03 on loopback,
/// and either drops the person at the terminal into Enter-PSSession or, with no terminal, runs a scripted
/// tour through the real client and prints it.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port of the three instances (on 127.0.0.1, .2 and .3).", DefaultValueFactory = _ => 4443 };
        var tour = new Option<bool>("--tour") { Description = "Run the scripted tour even at a terminal." };
        var keep = new Option<bool>("--keep") { Description = "Keep the demo's state directory (transcripts, keys) afterwards." };
        var command = new Command("demo", "Run three endpoint instances on loopback and show them: an interactive session at a terminal, a scripted tour otherwise.")
        {
            port, tour, keep,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(port), parse.GetValue(tour), parse.GetValue(keep), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int port, bool forceTour, bool keep, CancellationToken cancellationToken)
    {
        string stateDirectory = Path.Combine(Path.GetTempPath(), $"pep-demo-{Environment.ProcessId}-{Guid.NewGuid():N}"[..28]);
        string password = DemoPassword();
        var layout = new StateLayout(stateDirectory);
        var instances = InitCommand.ParseInstances([$"ERCS01=127.0.0.1:{port}", $"ERCS02=127.0.0.2:{port}", $"ERCS03=127.0.0.3:{port}"]);
        DeploymentConfig config;
        try
        {
            config = DeploymentInitializer.Create(layout, new DeploymentRequest("azs", "local", "AZURESTACK", "azurestack.external", instances, "cloudadmin"), password, TimeProvider.System);
        }
        catch (DeploymentException e)
        {
            Console.Error.WriteLine($"pep demo: {e.Message}");
            return ExitCodes.DeploymentError;
        }

        Console.WriteLine($"Demo deployment in {stateDirectory}");
        string authorityDirectory = DemoSupportTour.CreateAuthority(layout);
        var servers = new List<WebApplication>();
        DemoStampServices? stamp = null;
        try
        {
            stamp = await DemoStampServices.StartAsync(layout, cancellationToken);
            foreach (InstanceConfig instance in instances)
            {
                WebApplication app = GatewayServer.Build(new GatewayOptions
                {
                    Layout = layout,
                    InstanceName = instance.Name,
                    EndpointModuleManifest = ModuleLocations.EndpointModuleManifest,
                    MinimumLogLevel = LogLevel.Warning,
                });
                await app.StartAsync(cancellationToken);
                servers.Add(app);
                Console.WriteLine($"  {instance.Name} listening on https://{instance.Address}:{instance.Port}/PrivilegedEndpoint");
            }

            Console.WriteLine($"  certificate thumbprint: {config.TlsCertificateThumbprint}");
            bool interactive = !forceTour && !Console.IsInputRedirected && !Console.IsOutputRedirected;
            string computers = string.Join(", ", instances.Select(i => $"'{i.Address}:{i.Port}'"));
            if (interactive)
            {
                return await RunClientAsync(InteractiveScript(computers, config.TlsCertificateThumbprint!), password, interactive: true, cancellationToken);
            }

            int exit = await RunClientAsync(TourScript(computers, config.TlsCertificateThumbprint!), password, interactive: false, cancellationToken);
            if (exit != 0)
            {
                return exit;
            }

            exit = await RunClientAsync(Prelude(config.TlsCertificateThumbprint!) + DemoSupportTour.Script(computers, authorityDirectory), password, interactive: false, cancellationToken);
            if (exit != 0)
            {
                return exit;
            }

            Console.WriteLine();
            Console.WriteLine(">>> Stopping ERCS01 to show failover: the client moves on to ERCS02.");
            await servers[0].StopAsync(cancellationToken);
            return await RunClientAsync(FailoverScript(computers, config.TlsCertificateThumbprint!), password, interactive: false, cancellationToken);
        }
        finally
        {
            if (stamp is not null)
            {
                await stamp.DisposeAsync();
            }

            foreach (WebApplication app in servers)
            {
                await app.StopAsync(CancellationToken.None);
                await app.DisposeAsync();
            }

            if (!keep)
            {
                Directory.Delete(stateDirectory, recursive: true);
            }
        }
    }

    /// <summary>A random password that meets the policy; it lives only in this process and the demo client's environment.</summary>
    private static string DemoPassword()
        => "Pep-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "-7a";

    private static async Task<int> RunClientAsync(string script, string password, bool interactive, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(PowerShellLocator.Locate(null)) { UseShellExecute = false };
        foreach (string argument in interactive ? new[] { "-NoLogo", "-NoProfile", "-NoExit", "-Command", script } : ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", script])
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The password reaches the client through its environment, never its command line.
        startInfo.Environment["PEP_DEMO_PASSWORD"] = password;
        using Process client = Process.Start(startInfo) ?? throw new InvalidOperationException("pwsh did not start.");
        await client.WaitForExitAsync(cancellationToken);
        return client.ExitCode;
    }

    private static string Prelude(string thumbprint) => $$"""
        $ErrorActionPreference = 'Stop'
        Import-Module '{{ModuleLocations.ClientModuleManifest.Replace("'", "''", StringComparison.Ordinal)}}'
        $cred = [pscredential]::new('AZURESTACK\cloudadmin', (ConvertTo-SecureString $env:PEP_DEMO_PASSWORD -AsPlainText -Force))
        Remove-Item Env:PEP_DEMO_PASSWORD
        $thumbprint = '{{thumbprint}}'
        function Step([string] $text) { Write-Host ''; Write-Host ">>> $text" -ForegroundColor Cyan }
        """;

    private static string InteractiveScript(string computers, string thumbprint) => Prelude(thumbprint) + $$"""

        Write-Host 'Connecting as AZURESTACK\cloudadmin. Try: Get-Command, Get-AzureStackStampInformation, Get-Help <name> -Full, 1+1. Leave with Exit-PSSession, then exit.'
        $pep = New-PepSession -ComputerName {{computers}} -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
        Enter-PSSession $pep
        """;

    private static string TourScript(string computers, string thumbprint) => Prelude(thumbprint) + $$"""

        Step "`$pep = New-PepSession -ComputerName {{computers}} -Credential `$cred -CertificateThumbprint $thumbprint"
        $pep = New-PepSession -ComputerName {{computers}} -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
        $pep | Format-Table Id, Name, ComputerName, State, Availability -AutoSize | Out-Host

        Step 'Invoke-Command -Session $pep { Get-Command }'
        Invoke-Command -Session $pep { Get-Command } | Sort-Object Name | Format-Table Name, CommandType -AutoSize | Out-Host

        Step 'Invoke-Command -Session $pep { Get-AzureStackStampInformation }'
        Invoke-Command -Session $pep { Get-AzureStackStampInformation } | Format-List StampName, RegionName, DomainNetBIOSName, EmergencyConsoleIPAddresses, CurrentInstance | Out-Host

        Step 'Invoke-Command -Session $pep { Get-Command Get-AzureStackStampInformation -Syntax }'
        Invoke-Command -Session $pep { Get-Command Get-AzureStackStampInformation -Syntax } | Out-Host

        Step 'Invoke-Command -Session $pep { 1+1 }      # scripting is refused'
        try { Invoke-Command -Session $pep { 1+1 } } catch { Write-Host "Refused: $($_.FullyQualifiedErrorId)" -ForegroundColor Yellow }

        Step 'Import-PSSession $pep -CommandName Get-AzureStackStampInformation -Prefix Pep'
        $null = Import-PSSession $pep -CommandName Get-AzureStackStampInformation -Prefix Pep -AllowClobber
        Get-PepAzureStackStampInformation | Select-Object StampName, CurrentInstance | Out-Host

        Step 'Invoke-Command -Session $pep { Test-AzureStack }      # the demo stamp: real role services on loopback'
        Invoke-Command -Session $pep { Test-AzureStack } | Out-Host

        Step 'Invoke-Command -Session $pep { Stop-AzureStack -Confirm:$false }; then Test-AzureStack fails'
        Invoke-Command -Session $pep { Stop-AzureStack -Confirm:$false } | Format-Table Role, Action, Succeeded, Detail -AutoSize | Out-Host
        Invoke-Command -Session $pep { Test-AzureStack -Include AzsNetworkInfra, AzsPortalAPISummary } | Out-Host

        Step 'Invoke-Command -Session $pep { Start-AzureStack }'
        Invoke-Command -Session $pep { Start-AzureStack } | Format-Table Role, Action, Succeeded, Detail -AutoSize | Out-Host

        Step 'Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage, DNS }'
        Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage, DNS } | Format-Table Role, Files, Bytes, Complete, Archive -AutoSize | Out-Host

        Step 'Invoke-Command -Session $pep { Get-CloudAdminUserList }'
        Invoke-Command -Session $pep { Get-CloudAdminUserList } | Format-Table UserName, CreatedUtc, Trusted -AutoSize | Out-Host

        Remove-PSSession $pep
        """;

    private static string FailoverScript(string computers, string thumbprint) => Prelude(thumbprint) + $$"""

        Step "New-PepSession -ComputerName {{computers}} ...   # ERCS01 is down"
        $pep = New-PepSession -ComputerName {{computers}} -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 15000 -WarningAction Continue
        Invoke-Command -Session $pep { Get-AzureStackStampInformation } | Select-Object CurrentInstance | Out-Host
        Remove-PSSession $pep
        """;
}
