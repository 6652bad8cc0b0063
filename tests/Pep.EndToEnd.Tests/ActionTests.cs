using System.Text.Json;
using Pep.Core.Stamp.Manifest;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Stop-AzureStack and Start-AzureStack as tracked actions the gateway holds, through the real client, on two
/// instances sharing one store: seen from another session on the other instance, and refused while one runs.
/// </summary>
public sealed class ActionTests : IAsyncLifetime
{
    /// <summary>The slow role's stop command sleeps this long, a value no other process on the machine uses.</summary>
    private const string StopSeconds = "15.125";

    /// <summary>
    /// Each client here makes up to a dozen round trips and waits for a stop command of 15 s: on the shared 2-core
    /// machine under a load of 30 to 60 that passed the default 180 s.
    /// </summary>
    private static readonly TimeSpan ManyRoundTrips = TimeSpan.FromMinutes(6);

    private TestDeployment _deployment = null!;

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(2);
        await _deployment.StartAllAsync();
        Stamp(["/bin/sleep", StopSeconds]).Save(_deployment.Layout.StampManifest);
    }

    private static StampManifest Stamp(string[] slowStop)
        => new()
        {
            Name = "actions",
            Region = "local",
            Domain = "azurestack.external",
            Roles =
            [
                new StampRole { Name = "Quick", Order = 1, Stop = new RoleCommand { Argv = ["/bin/true"] }, Start = new RoleCommand { Argv = ["/bin/true"] } },
                new StampRole { Name = "Slow", Order = 2, Stop = new RoleCommand { Argv = slowStop, TimeoutSeconds = 900 }, Start = new RoleCommand { Argv = ["/bin/true"] } },
            ],
        };

    public async Task DisposeAsync() => await _deployment.DisposeAsync();

    [Fact]
    public async Task StopAzureStack_WithoutATerminal_IsAnActionThatAnotherSessionOnAnotherInstanceSees_AndASecondStopIsRefusedWhileItRuns()
    {
        ProcessResult result = await _deployment.RunClientAsync("""
            $first = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $other = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $job = Invoke-Command -Session $first { Stop-AzureStack } -AsJob
            $deadline = (Get-Date).AddSeconds(120)
            do {
                if ((Get-Date) -gt $deadline) { throw 'the action never showed as running' }
                $running = @(Invoke-Command -Session $other { Get-ActionStatus -FunctionName Stop-AzureStack -Running })
            } while ($running.Count -eq 0 -and $job.State -eq 'Running')
            $second = try { Invoke-Command -Session $other { Stop-AzureStack } -ErrorAction Stop; 'ran' } catch { "$($_.FullyQualifiedErrorId)|$_" }
            $stopped = @(Receive-Job $job -Wait -AutoRemoveJob)
            $after = @(Invoke-Command -Session $other { Get-ActionStatus Stop-AzureStack })
            $started = @(Invoke-Command -Session $other { Start-AzureStack 60 })
            [pscustomobject]@{
                Seen = @($running | ForEach-Object { "$($_.FunctionName)|$($_.State)|$($_.Instance)|$($_.User)" }); SeenId = $running[0].ActionId
                Second = $second; Stopped = @($stopped | ForEach-Object { "$($_.Role):$($_.Succeeded)" })
                After = @($after | ForEach-Object { "$($_.ActionId)|$($_.State)|$($_.Result)" })
                Started = @($started | ForEach-Object { "$($_.Role):$($_.Succeeded)" })
            } | ConvertTo-Json -Compress
            """, timeout: ManyRoundTrips);

        JsonElement json = Json(result);
        Assert.Equal([$"Stop-AzureStack|Running|ERCS01|{TestDeployment.AdminUser}"], Strings(json.GetProperty("Seen")));
        string id = json.GetProperty("SeenId").GetString()!;
        string second = json.GetProperty("Second").GetString()!;
        Assert.StartsWith("StampActionInProgress,", second, StringComparison.Ordinal);
        Assert.Contains($"action {id}", second, StringComparison.Ordinal);
        Assert.Equal(["Slow:True", "Quick:True"], Strings(json.GetProperty("Stopped")));
        Assert.Equal([$"{id}|Succeeded|Done: Slow, Quick."], Strings(json.GetProperty("After")));
        Assert.Equal(["Quick:True", "Slow:True"], Strings(json.GetProperty("Started")));
    }

    [Fact]
    public async Task StopAzureStack_AsJob_ReturnsTheRunningActionBeforeAnyRoleStops_AndGetActionStatusFollowsItToItsEnd()
    {
        // The slow role's stop waits for a file the client creates only after it has checked the action: the action
        // cannot have ended, nor any role stopped (Slow stops first), before that.
        string held = Directory.CreateTempSubdirectory("pep-asjob-").FullName;
        File.SetUnixFileMode(held, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string release = Path.Combine(held, "release");
        Stamp(["/bin/sh", "-c", "while [ ! -e \"$0\" ]; do sleep 0.1; done", release]).Save(_deployment.Layout.StampManifest);
        try
        {
            ProcessResult result = await _deployment.RunClientAsync($$"""
                $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $whatIf = @(Invoke-Command -Session $pep { Stop-AzureStack -AsJob -WhatIf })
                $job = @(Invoke-Command -Session $pep { Stop-AzureStack -AsJob } 6>$null)
                $id = $job[0].ActionId
                $held = @(Invoke-Command -Session $pep { Get-ActionStatus -ActionId $using:id })
                $all = @(Invoke-Command -Session $pep { Get-ActionStatus -ActionType StampLifecycle })
                New-Item -ItemType File -Path '{{release}}' | Out-Null
                $deadline = (Get-Date).AddSeconds(240)
                do {
                    if ((Get-Date) -gt $deadline) { throw 'the action never ended' }
                    $now = @(Invoke-Command -Session $pep { Get-ActionStatus -ActionId $using:id })[0]
                } while ($now.State -eq 'Running')
                $unknown = try { Invoke-Command -Session $pep { Get-ActionStatus -ActionId ('0' * 32) } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
                $badType = try { Invoke-Command -Session $pep { Get-ActionStatus -ActionType Nope } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
                $syntax = Invoke-Command -Session $pep { Get-Command Stop-AzureStack -Syntax } | Out-String -Width 200
                $examples = Invoke-Command -Session $pep { Get-Help Stop-AzureStack -Examples } | Out-String -Width 200
                [pscustomobject]@{
                    Syntax = $syntax; Examples = $examples
                    WhatIf = $whatIf.Count; Job = @($job | ForEach-Object { "$($_.FunctionName)|$($_.ActionType)|$($_.State)|$($_.Instance)" }); Id = $id
                    Held = @($held | ForEach-Object { "$($_.ActionId)|$($_.State)" }); All = $all.Count
                    Ended = "$($now.State)|$($now.Result)|$($null -ne $now.EndedUtc)"; Unknown = $unknown; BadType = $badType
                } | ConvertTo-Json -Compress
                """, timeout: ManyRoundTrips);

            JsonElement json = Json(result);
            Assert.Equal(0, json.GetProperty("WhatIf").GetInt32());
            Assert.Equal(["Stop-AzureStack|StampLifecycle|Running|ERCS01"], Strings(json.GetProperty("Job")));
            string id = json.GetProperty("Id").GetString()!;
            Assert.Matches("^[0-9a-f]{32}$", id);
            Assert.Equal([$"{id}|Running"], Strings(json.GetProperty("Held")));
            Assert.Equal(1, json.GetProperty("All").GetInt32());
            Assert.Equal("Succeeded|Done: Slow, Quick.|True", json.GetProperty("Ended").GetString());
            Assert.StartsWith("ActionNotFound,", json.GetProperty("Unknown").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("ParameterArgumentValidationError,", json.GetProperty("BadType").GetString(), StringComparison.Ordinal);
            Assert.Contains("[-AsJob]", json.GetProperty("Syntax").GetString(), StringComparison.Ordinal);
            Assert.Contains("Stop-AzureStack -AsJob", json.GetProperty("Examples").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(release, "");
            Directory.Delete(held, recursive: true);
        }
    }

    private static JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]).RootElement;
    }

    private static string[] Strings(JsonElement array)
        => array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : array.ValueKind == JsonValueKind.Null ? [] : [array.GetString()!];
}
