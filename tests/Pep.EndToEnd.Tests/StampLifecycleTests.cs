using System.Text.Json;
using Pep.Core.Stamp;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Stop-AzureStack and Start-AzureStack really stop and start the stamp's role services.</summary>
[Collection("Stamp")]
public sealed class StampLifecycleTests(TestStamp fixture) : IClassFixture<TestStamp>
{
    [Fact]
    public async Task StopAzureStack_StopsEveryRoleInReverseOrder_TestFails_StartAzureStackBringsThemBack()
    {
        ProcessResult result = await fixture.Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 -Culture de-DE
            $whatIf = @(Invoke-Command -Session $pep { Stop-AzureStack -WhatIf })
            $afterWhatIf = Invoke-Command -Session $pep { Test-AzureStack } 6>$null
            $stopped = @(Invoke-Command -Session $pep { Stop-AzureStack -Confirm:$false })
            $afterStop = Invoke-Command -Session $pep { Test-AzureStack } 6>$null
            $started = @(Invoke-Command -Session $pep { Start-AzureStack -TimeoutInSecs 300 })
            $afterStart = Invoke-Command -Session $pep { Test-AzureStack } 6>$null
            [pscustomobject]@{
                WhatIf = $whatIf.Count; AfterWhatIf = ($afterWhatIf -eq $true)
                Stopped = @($stopped | ForEach-Object { "$($_.Role):$($_.Succeeded)" }); AfterStop = ($afterStop -eq $true)
                Started = @($started | ForEach-Object { "$($_.Role):$($_.Succeeded)" }); AfterStart = ($afterStart -eq $true)
            } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal(0, json.GetProperty("WhatIf").GetInt32());
        Assert.True(json.GetProperty("AfterWhatIf").GetBoolean());
        Assert.Equal(["Portal:True", "Compute:True", "Storage:True", "DNS:True"], json.GetProperty("Stopped").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.GetProperty("AfterStop").GetBoolean());
        Assert.Equal(["DNS:True", "Storage:True", "Compute:True", "Portal:True"], json.GetProperty("Started").EnumerateArray().Select(e => e.GetString()));
        Assert.True(json.GetProperty("AfterStart").GetBoolean());
    }

    [Fact]
    public async Task StopAzureStack_ARoleThatDoesNotStopInTime_IsReportedByName()
    {
        // A status command that always says "running": the role never appears stopped.
        string manifestPath = fixture.Deployment.Layout.StampManifest;
        StampManifest original = StampManifest.Load(manifestPath);
        StampRole portal = original.FindRole("Portal")!;
        StampManifest stubborn = original with
        {
            Roles = [portal with { Stop = new RoleCommand { Argv = ["/bin/true"] }, Status = new RoleCommand { Argv = ["/bin/true"] } }],
            Dns = null,
        };
        stubborn.Save(manifestPath);
        try
        {
            ProcessResult result = await fixture.Deployment.RunClientAsync("""
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $errors = $null
                $stopped = Invoke-Command -Session $pep { Stop-AzureStack -Confirm:$false -TimeoutInSecs 3 } -ErrorVariable errors -ErrorAction SilentlyContinue 6>$null
                [pscustomobject]@{ Succeeded = ($stopped.Succeeded -eq $true); Error = $errors[0].FullyQualifiedErrorId; Target = "$($errors[0].TargetObject)" } | ConvertTo-Json -Compress
                """);

            JsonElement json = fixture.Json(result);
            Assert.False(json.GetProperty("Succeeded").GetBoolean());
            Assert.StartsWith("RoleDidNotStop,", json.GetProperty("Error").GetString(), StringComparison.Ordinal);
            Assert.Equal("Portal", json.GetProperty("Target").GetString());
        }
        finally
        {
            original.Save(manifestPath);
        }

        HealthTest portalTcp = new() { Category = "x", Name = "x", Kind = HealthTestKind.Http, Url = portal.HealthTests[0].Url };
        using var probe = new HealthProbe(TimeProvider.System);
        Assert.Equal(HealthStatus.Pass, (await probe.RunAsync("Portal", portalTcp, CancellationToken.None)).Status);
    }
}
