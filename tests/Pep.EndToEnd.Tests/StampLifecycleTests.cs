using System.Text.Json;
using Pep.Core.Stamp.Health;
using Pep.Core.Stamp.Manifest;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Stop-AzureStack and Start-AzureStack really stop and start the stamp's role services.</summary>
[Collection("Stamp")]
public sealed class StampLifecycleTests(TestStamp fixture) : IClassFixture<TestStamp>
{
    /// <summary>
    /// Called as the original is, from a script with no terminal (a UPS-triggered shutdown): the client pwsh runs
    /// -NonInteractive with its input redirected, so a confirmation prompt would fail the command instead of stopping.
    /// </summary>
    [Fact]
    public async Task StopAzureStack_WithoutATerminalOrConfirm_StopsEveryRoleInReverseOrder_TestFails_StartAzureStackBringsThemBack()
    {
        ProcessResult result = await fixture.Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 -Culture de-DE
            $whatIf = @(Invoke-Command -Session $pep { Stop-AzureStack -WhatIf })
            $afterWhatIf = Invoke-Command -Session $pep { Test-AzureStack } 6>$null
            $stopped = @(Invoke-Command -Session $pep { Stop-AzureStack })
            $afterStop = Invoke-Command -Session $pep { Test-AzureStack } 6>$null
            $started = @(Invoke-Command -Session $pep { Start-AzureStack 300 })
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

    [Fact]
    public async Task TestAzureStack_OnAStampWithNoHealthTests_IsFalse_WithAnErrorSayingNothingRan()
    {
        string manifestPath = fixture.Deployment.Layout.StampManifest;
        StampManifest original = StampManifest.Load(manifestPath);
        (original with { Roles = [.. original.Roles.Select(r => r with { HealthTests = [] })] }).Save(manifestPath);
        try
        {
            ProcessResult result = await fixture.Deployment.RunClientAsync("""
                $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $errors = $null
                $lines = Invoke-Command -Session $pep { Test-AzureStack } -ErrorVariable errors -ErrorAction SilentlyContinue 6>&1
                $value = @($lines | Where-Object { $_ -is [bool] })
                [pscustomobject]@{
                    Values = @($value | ForEach-Object { "$_" }); Text = ($lines | Where-Object { $_ -isnot [bool] } | ForEach-Object { "$_" }) -join "`n"
                    Error = $errors[0].FullyQualifiedErrorId; Message = "$($errors[0])"
                } | ConvertTo-Json -Compress
                """);

            JsonElement json = fixture.Json(result);
            Assert.Equal(["False"], json.GetProperty("Values").EnumerateArray().Select(e => e.GetString()));
            Assert.StartsWith("NoHealthTestsRan,", json.GetProperty("Error").GetString(), StringComparison.Ordinal);
            Assert.Contains("ran no test: this stamp declares no health tests", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
            Assert.Contains("selects 0 categories of the 0 this stamp declares, 0 tests", json.GetProperty("Text").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            original.Save(manifestPath);
        }
    }

    [Fact]
    public async Task TestAzureStack_StoppedFromTheClient_EndsAtOnce_KillsItsProbe_AndTheEndpointServesOn()
    {
        // A probe that would run for 16 minutes: only a working stop ends the command in time.
        string manifestPath = fixture.Deployment.Layout.StampManifest;
        StampManifest original = StampManifest.Load(manifestPath);
        StampRole dns = original.FindRole("DNS")!;
        HealthTest slow = new() { Category = "AzsSlowProbe", Name = "sleeps", Kind = HealthTestKind.Command, Argv = ["/bin/sleep", "987.654"], TimeoutSeconds = 1200 };
        (original with { Roles = [dns with { HealthTests = [.. dns.HealthTests, slow] }, .. original.Roles.Where(r => r != dns)] }).Save(manifestPath);
        try
        {
            ProcessResult result = await fixture.Deployment.RunClientAsync("""
                $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                function Probe { @(Get-Process sleep -ErrorAction Ignore | Where-Object { $_.CommandLine -like '*987.654*' }) }
                $job = Invoke-Command -Session $pep { Test-AzureStack -Include AzsSlowProbe -TimeoutSeconds 1200 } -AsJob
                $deadline = (Get-Date).AddSeconds(120)
                while ((Probe).Count -eq 0 -and $job.State -eq 'Running') { if ((Get-Date) -gt $deadline) { throw 'the probe never started' }; Start-Sleep -Milliseconds 100 }
                $probeStarted = (Probe).Count
                $watch = [Diagnostics.Stopwatch]::StartNew()
                Stop-Job $job
                $stopSeconds = $watch.Elapsed.TotalSeconds
                $deadline = (Get-Date).AddSeconds(30)
                while ((Probe).Count -gt 0 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
                $sameSession = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).RegionName
                $fresh = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $newSession = (Invoke-Command -Session $fresh { Get-AzureStackStampInformation }).RegionName
                [pscustomobject]@{
                    ProbeStarted = $probeStarted; State = "$($job.State)"; StopSeconds = $stopSeconds; ProbeLeft = (Probe).Count
                    SameSession = $sameSession; NewSession = $newSession
                } | ConvertTo-Json -Compress
                """);

            JsonElement json = fixture.Json(result);
            Assert.Equal(1, json.GetProperty("ProbeStarted").GetInt32());
            Assert.Equal("Stopped", json.GetProperty("State").GetString());
            Assert.True(json.GetProperty("StopSeconds").GetDouble() < 30, $"Stop-Job took {json.GetProperty("StopSeconds").GetDouble()} s");
            Assert.Equal(0, json.GetProperty("ProbeLeft").GetInt32());
            Assert.Equal("local", json.GetProperty("SameSession").GetString());
            Assert.Equal("local", json.GetProperty("NewSession").GetString());
        }
        finally
        {
            original.Save(manifestPath);
        }
    }
}
