using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The endpoint module's default tables (PepEndpoint.format.ps1xml): Get-FormatData answers them in the
/// restricted session, Enter-PSSession renders them (it formats on the endpoint: each line ends in Out-Default
/// there), and Import-PSSession -FormatTypeName copies them to the client, where Invoke-Command output then
/// renders as the same table.
/// </summary>
public sealed class OutputFormatTests
{
    private const string Header = "UserName                 CreatedUtc           PasswordChangedUtc   Trusted";

    [Fact]
    public async Task CloudAdminUser_DefaultViewIsTheModulesTable_OnTheEndpointAndOnTheClient()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult result = await deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 -Culture de-DE
            $definition = Invoke-Command -Session $pep { Get-FormatData -TypeName Pep.SessionModule.Accounts.CloudAdminUser }
            $view = $definition.FormatViewDefinition[0]
            Write-Output '--- endpoint ---'
            Invoke-Command -Session $pep { Get-CloudAdminUserList | Out-Default }
            Write-Output '--- client ---'
            $null = Import-PSSession $pep -CommandName Get-CloudAdminUserList -FormatTypeName * -Prefix Pep -AllowClobber
            $client = Invoke-Command -Session $pep { Get-CloudAdminUserList } | Out-String -Width 200
            $proxy = Get-PepCloudAdminUserList | Out-String -Width 200
            [pscustomobject]@{
                View = $view.Name; Control = $view.Control.GetType().Name; Headers = @($view.Control.Headers | ForEach-Object Label)
                Client = $client; Proxy = $proxy
            } | ConvertTo-Json -Compress -Depth 4
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("Pep.CloudAdminUser", json.GetProperty("View").GetString());
        Assert.Equal("TableControl", json.GetProperty("Control").GetString());
        Assert.Equal(["UserName", "CreatedUtc", "PasswordChangedUtc", "Trusted"], json.GetProperty("Headers").EnumerateArray().Select(e => e.GetString()));
        string endpoint = result.StandardOutput.Split("--- endpoint ---")[1].Split("--- client ---")[0];
        AssertTable(endpoint);
        AssertTable(json.GetProperty("Client").GetString()!);
        AssertTable(json.GetProperty("Proxy").GetString()!);
    }

    /// <summary>
    /// The table's header, its underline, and a row with the invariant date format whatever the culture. Invoke-Command
    /// output carries PowerShell's own PSComputerName column after ours.
    /// </summary>
    private static void AssertTable(string rendered)
    {
        string[] lines = rendered.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 3, rendered);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(Header) + "( PSComputerName)?$", lines[0]);
        Assert.StartsWith("--------", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^AZURESTACK\\cloudadmin\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\s+True( +127\.0\.0\.1)?$", lines[2]);
    }
}
