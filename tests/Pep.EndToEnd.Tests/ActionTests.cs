using System.Globalization;
using System.Text.Json;
using Pep.Core.Stamp.Manifest;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Stop-AzureStack and Start-AzureStack as tracked actions the gateway holds, through the real client, on two
/// instances sharing one store: seen from another session on the other instance, refused while one runs, and
/// recorded Interrupted when the gateway holding one is killed.
/// </summary>
public sealed class ActionTests : IAsyncLifetime
{
    /// <summary>The slow role's stop command sleeps this long, a value no other process on the machine uses.</summary>
    private const string StopSeconds = "15.125";

    /// <summary>
    /// In the test that kills the gateway, the stop command outlasts any delay between seeing it run and the kill (the
    /// machine runs at a load of 30 to 85); the test ends it afterwards.
    /// </summary>
    private const string LongStopSeconds = "600.125";

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
        Stamp(StopSeconds).Save(_deployment.Layout.StampManifest);
    }

    private static StampManifest Stamp(string stopSeconds)
        => new()
        {
            Name = "actions",
            Region = "local",
            Domain = "azurestack.external",
            Roles =
            [
                new StampRole { Name = "Quick", Order = 1, Stop = new RoleCommand { Argv = ["/bin/true"] }, Start = new RoleCommand { Argv = ["/bin/true"] } },
                new StampRole { Name = "Slow", Order = 2, Stop = new RoleCommand { Argv = ["/bin/sleep", stopSeconds], TimeoutSeconds = 900 }, Start = new RoleCommand { Argv = ["/bin/true"] } },
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
    public async Task AGatewayKilledMidAction_LeavesTheActionInterrupted_AndTheStampFreeForTheNextStartOrStop()
    {
        Stamp(LongStopSeconds).Save(_deployment.Layout.StampManifest);
        using var client = _deployment.StartClient("""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            Invoke-Command -Session $pep { Stop-AzureStack }
            """);
        try
        {
            // The action is running once its slow stop command runs under the gateway (not under the session host).
            EndpointInstance first = _deployment.Running[0];
            await EndpointInstance.WaitUntilAsync(() => client.HasExited || SleepingStops(LongStopSeconds).Any(p => ParentOf(p) == first.ProcessId), "the slow role's stop command under the gateway", ManyRoundTrips);
            Assert.False(client.HasExited, "The client ended before its action was seen running: " + client.StandardError.ReadToEnd() + client.StandardOutput.ReadToEnd());
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            ProcessResult during = await _deployment.RunClientAsync("""
                $other = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                [pscustomobject]@{ States = @(Invoke-Command -Session $other { Get-ActionStatus Stop-AzureStack } | ForEach-Object State) } | ConvertTo-Json -Compress
                """, timeout: ManyRoundTrips);
            Assert.Equal(["Running"], Strings(Json(during).GetProperty("States")));

            await _deployment.StartAsync(_deployment.Instances[0].Name);
            ProcessResult after = await _deployment.RunClientAsync("""
                $other = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $actions = @(Invoke-Command -Session $other { Get-ActionStatus -FunctionName Stop-AzureStack })
                $next = @(Invoke-Command -Session $other { Start-AzureStack -Confirm:$false })
                [pscustomobject]@{ Before = @($actions | ForEach-Object { "$($_.State)|$($_.ErrorId)|$($null -ne $_.EndedUtc)" }); Next = @($next | ForEach-Object { "$($_.Succeeded)" }) } | ConvertTo-Json -Compress
                """, timeout: ManyRoundTrips);
            JsonElement json = Json(after);
            Assert.Equal(["Interrupted|ActionInterrupted|True"], Strings(json.GetProperty("Before")));
            Assert.Equal(["True", "True"], Strings(json.GetProperty("Next")));
        }
        finally
        {
            if (!client.HasExited)
            {
                client.Kill(entireProcessTree: true);
            }

            foreach (int leftover in SleepingStops(LongStopSeconds).ToList())
            {
                try
                {
                    using var sleeping = System.Diagnostics.Process.GetProcessById(leftover);
                    sleeping.Kill();
                }
                catch (ArgumentException)
                {
                    // Ended meanwhile.
                }
            }
        }
    }

    private static JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]).RootElement;
    }

    private static string[] Strings(JsonElement array)
        => array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : array.ValueKind == JsonValueKind.Null ? [] : [array.GetString()!];

    /// <summary>The processes running the slow role's stop command.</summary>
    private static IEnumerable<int> SleepingStops(string seconds)
    {
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }

            if (commandLine == $"/bin/sleep\0{seconds}\0")
            {
                yield return pid;
            }
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
