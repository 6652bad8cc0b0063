using System.Diagnostics;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Transcripts;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The grant ends by ending (issue 12): deployment.json allows 40 s of elevation and 15 s of request life. While
/// elevated, the session leaves behind everything that survived the old in-place lock-back; when the gateway's clock
/// runs out, none of it runs again, checked from outside the session: its processes are gone and its marker files
/// stop growing while a ticker of the test's own keeps going.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class SupportGrantEndTests(ShortSupportDeployment fixture) : IClassFixture<ShortSupportDeployment>
{
    /// <summary>What the session leaves behind; each appends its process id to a marker file of its name.</summary>
    private static readonly string[] Leftovers =
        ["out-default", "clear-host", "post-lookup", "runspace", "thread-job", "start-job", "timer-event", "setsid", "double-fork"];

    private const string EndedMessage = "The support session ended and everything it started was stopped. Open a new session; it will be restricted.";

    [Fact]
    public async Task WhenTheGrantRunsOut_NothingTheElevatedSessionStartedRunsAgain_AndTheClientIsToldInPlainWords()
    {
        string marker = $"grant-end-{Guid.NewGuid():N}";
        DirectoryInfo work = Directory.CreateTempSubdirectory("pep-grant-end-");
        string ticker = Path.Combine(work.FullName, "ticker.sh");
        await File.WriteAllTextAsync(ticker, "exec >/dev/null 2>&1 </dev/null\nwhile true; do echo $$ >> \"$1\"; sleep 0.1; done\n");
        // The elevated session runs as its own session account (issue 11): the work folder is open to it as /tmp is.
        work.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                            | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;
        File.SetUnixFileMode(ticker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            ProcessResult result = await fixture.Deployment.RunClientAsync(fixture.Variables + $"$marker = '{marker}'\n$work = '{work.FullName}'\n" + """
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken }) -duration '4h'
                $null = Invoke-Command -Session $pep { Get-Command -Name $using:marker -ErrorAction Ignore }
                $unlocked = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction Ignore
                $hostPid = Invoke-Command -Session $pep {
                    $global:pepWork = $using:work
                    function global:Tick([string] $name) { Add-Content -LiteralPath (Join-Path $global:pepWork $name) -Value $PID }
                    function global:Out-Default { Tick 'out-default'; $input | Microsoft.PowerShell.Core\Out-Default }
                    function global:Clear-Host { Tick 'clear-host' }
                    $ExecutionContext.InvokeCommand.PostCommandLookupAction = { if ($args[0] -eq 'Get-AzureStackStampInformation') { Tick 'post-lookup' } }

                    $runspace = [runspacefactory]::CreateRunspace(); $runspace.Open()
                    $runspace.SessionStateProxy.SetVariable('engine', $ExecutionContext)
                    $runspace.SessionStateProxy.SetVariable('w', $global:pepWork)
                    $global:holder = [powershell]::Create(); $global:holder.Runspace = $runspace
                    $null = $global:holder.AddScript('while ($true) { $engine.SessionState.LanguageMode = "FullLanguage"; Add-Content -LiteralPath (Join-Path $w runspace) -Value $PID; Start-Sleep -Milliseconds 100 }').BeginInvoke()

                    $loop = { param($w, $name) while ($true) { Add-Content -LiteralPath (Join-Path $w $name) -Value $PID; Start-Sleep -Milliseconds 100 } }
                    $null = Start-ThreadJob -ScriptBlock $loop -ArgumentList $global:pepWork, 'thread-job'
                    $null = Start-Job -ScriptBlock $loop -ArgumentList $global:pepWork, 'start-job'
                    $global:timer = [System.Timers.Timer]::new(100)
                    $null = Register-ObjectEvent -InputObject $global:timer -EventName Elapsed -Action { Tick 'timer-event' }
                    $global:timer.Start()

                    & /usr/bin/setsid -f /bin/sh (Join-Path $global:pepWork 'ticker.sh') (Join-Path $global:pepWork 'setsid')
                    & /bin/sh -c '(/usr/bin/nohup /bin/sh "$0" "$1" >/dev/null 2>&1 </dev/null &)' (Join-Path $global:pepWork 'ticker.sh') (Join-Path $global:pepWork 'double-fork')

                    Clear-Host
                    'through the redefined Out-Default' | Out-Default
                    $null = Get-AzureStackStampInformation
                    $names = 'out-default', 'clear-host', 'post-lookup', 'runspace', 'thread-job', 'start-job', 'timer-event', 'setsid', 'double-fork'
                    $deadline = [DateTime]::UtcNow.AddSeconds(25)
                    while (@($names | Where-Object { -not (Test-Path (Join-Path $global:pepWork $_)) }).Count -gt 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                    $PID
                }

                # Holds the session busy until the gateway ends it: the client hears why.
                $ended = try { Invoke-Command -Session $pep { while ($true) { Start-Sleep -Milliseconds 100 } } -ErrorAction Stop; 'returned' } catch { "$_" }
                $state = "$($pep.State)"

                $pep2 = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $script = Refusal { Invoke-Command -Session $pep2 { 1+1 } -ErrorAction Stop }
                $null = Invoke-Command -Session $pep2 { Get-AzureStackStampInformation }
                $null = Invoke-Command -Session $pep2 { Clear-Host } -ErrorAction SilentlyContinue
                $info = Invoke-Command -Session $pep2 { Get-SupportSessionInfo }
                Remove-PSSession $pep2
                [pscustomobject]@{ Unlock = $unlocked.State; HostPid = [int]@($hostPid)[-1]; Ended = $ended; State = $state; Script = $script; NewState = $info.State } | ConvertTo-Json -Compress
                """);

            JsonElement json = SessionTests.LastJson(result);
            Assert.Equal("Elevated", json.GetProperty("Unlock").GetString());
            Assert.Contains(EndedMessage, json.GetProperty("Ended").GetString(), StringComparison.Ordinal);
            Assert.Equal("Broken", json.GetProperty("State").GetString());
            Assert.Equal("ScriptsNotAllowed", json.GetProperty("Script").GetString());
            Assert.Equal("Locked", json.GetProperty("NewState").GetString());

            // Each leftover ran while elevated, and every process that ran one is gone now.
            int hostPid = json.GetProperty("HostPid").GetInt32();
            Dictionary<string, string[]> ran = Leftovers.ToDictionary(name => name, name => ReadLines(Path.Combine(work.FullName, name)));
            Assert.All(ran, leftover => Assert.True(leftover.Value.Length > 0, $"{leftover.Key} ran while the session was elevated"));
            int[] pids = [hostPid, .. ran.Values.SelectMany(lines => lines).Select(int.Parse).Distinct()];
            Assert.All(pids, pid => Assert.False(TranscriptTestKit.IsRunning(pid), $"process {pid} of the elevated session still runs"));

            // Nothing grows any more while a ticker of the test's own writes ten lines.
            Dictionary<string, long> before = Leftovers.ToDictionary(name => name, name => new FileInfo(Path.Combine(work.FullName, name)).Length);
            string control = Path.Combine(work.FullName, "control");
            using (Process controlTicker = Process.Start("/bin/sh", [ticker, control]))
            {
                await EndpointInstance.WaitUntilAsync(() => ReadLines(control).Length >= 10, "the test's own ticker wrote ten lines");
                controlTicker.Kill();
            }

            Assert.Equal(before, Leftovers.ToDictionary(name => name, name => new FileInfo(Path.Combine(work.FullName, name)).Length));

            // The session is sealed with its own end reason.
            string transcript = await fixture.SealedTranscriptAsync(marker);
            Assert.Contains("SUPPORT SESSION ELEVATED", transcript, StringComparison.Ordinal);
            Assert.Contains("SupportSessionEnded", transcript, StringComparison.Ordinal);
            string ledger = Path.Combine(fixture.Deployment.Layout.TranscriptDirectory("ERCS01"), "ledger.jsonl");
            Assert.Contains(File.ReadLines(ledger), line => line.Contains("SupportSessionEnded", StringComparison.Ordinal));
            EndpointInstance instance = fixture.Deployment.Running.Single();
            Assert.Contains("Pep.Gateway[1612]", instance.Output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ARequestAnsweredTooLate_IsRefusedByTheSessionAndByTheAuthority()
    {
        ProcessResult result = await fixture.Deployment.RunClientAsync(fixture.Variables + """
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $r = [ordered]@{}
            # A request lives 15 s here: a response that arrives later is refused by the session ...
            $request = Invoke-Command -Session $pep { Get-SupportSessionToken }
            $late = Grant $request
            $expiry = [DateTime]::UtcNow.AddSeconds(16)
            while ([DateTime]::UtcNow -lt $expiry) { Start-Sleep -Milliseconds 200 }   # the passing of time is what is tested
            $r.Expired = Refusal { Invoke-Command -Session $pep { Unlock-SupportSession $using:late } -ErrorAction Stop }
            # ... and the authority refuses to answer an expired request.
            $out = $request | & dotnet $pepDll authority grant --key $authority --duration 1h 2>&1
            $r.AuthorityExit = $LASTEXITCODE; $r.AuthorityMessage = "$out"
            $r.FinalState = (Invoke-Command -Session $pep { Get-SupportSessionInfo }).State
            Remove-PSSession $pep
            [pscustomobject]$r | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("SupportTokenExpired", json.GetProperty("Expired").GetString());
        Assert.Equal(2, json.GetProperty("AuthorityExit").GetInt32());
        Assert.Contains("expired", json.GetProperty("AuthorityMessage").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Locked", json.GetProperty("FinalState").GetString());
    }

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
