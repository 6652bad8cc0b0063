using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The elevation ends by itself: deployment.json allows 8 s of elevation and 15 s of request life. The
/// session is left idle until the lock-back shows in support.log (written by the host's timer, with no
/// command running), then checked from the client.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class SupportLockBackTests(ShortSupportDeployment fixture) : IClassFixture<ShortSupportDeployment>
{
    [Fact]
    public async Task Elevation_LocksBackByItselfWhenTheTimeRunsOut_EvenWhenIdle()
    {
        string marker = $"lock-back-{Guid.NewGuid():N}";
        ProcessResult result = await fixture.Deployment.RunClientAsync(fixture.Variables + $"$marker = '{marker}'\n" + """
            function LockedBackInLog { [bool](Get-ChildItem $transcripts -Recurse -Filter support.log | Select-String -SimpleMatch '"lockedBack"' -Quiet) }
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken }) -duration '4h'
            $null = Invoke-Command -Session $pep { Get-Command -Name $using:marker -ErrorAction Ignore }
            $unlocked = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $during = Invoke-Command -Session $pep {
                function global:Get-AzureStackStampInformation { 'shadowed while elevated' }
                $null = Import-Module Microsoft.PowerShell.Archive
                1 + 1
            }

            # Idle: nothing is sent to the session until the host's own timer has locked it back.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (LockedBackInLog) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $lockedAfter = $clock.Elapsed.TotalSeconds
            $loggedWhileIdle = LockedBackInLog

            $r = [ordered]@{ UnlockState = $unlocked.State; During = [int]$during; LockedAfterSeconds = $lockedAfter; LoggedWhileIdle = $loggedWhileIdle }
            $r.Script = Refusal { Invoke-Command -Session $pep { 1+1 } -ErrorAction Stop }
            $r.Native = Refusal { Invoke-Command -Session $pep { /bin/echo x } -ErrorAction Stop }
            $r.HiddenAgain = Refusal { Invoke-Command -Session $pep { Get-Process } -ErrorAction Stop }
            $r.ImportedWhileElevated = Refusal { Invoke-Command -Session $pep { Compress-Archive } -ErrorAction Stop }
            $info = Invoke-Command -Session $pep { Get-SupportSessionInfo } -WarningVariable lockWarning -WarningAction SilentlyContinue
            $r.State = $info.State; $r.Reason = $info.LastLockBackReason; $r.Warning = "$lockWarning"
            $r.Stamp = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).StampName
            $r.Commands = @(Invoke-Command -Session $pep { Get-Command } | ForEach-Object Name)
            $r.SecondUse = Refusal { Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -ErrorAction Stop }

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
        Assert.Equal("Elevated", json.GetProperty("UnlockState").GetString());
        Assert.Equal(2, json.GetProperty("During").GetInt32());
        Assert.True(json.GetProperty("LoggedWhileIdle").GetBoolean(), "The timer locked the idle session back and logged it.");
        Assert.InRange(json.GetProperty("LockedAfterSeconds").GetDouble(), 5.0, 60);
        Assert.Equal("ScriptsNotAllowed", json.GetProperty("Script").GetString());
        Assert.Equal("CommandNotFoundException", json.GetProperty("Native").GetString());
        Assert.Equal("CommandNotFoundException", json.GetProperty("HiddenAgain").GetString());
        Assert.Equal("CommandNotFoundException", json.GetProperty("ImportedWhileElevated").GetString());
        Assert.Equal("Locked", json.GetProperty("State").GetString());
        Assert.Equal("TimeRanOut", json.GetProperty("Reason").GetString());
        Assert.Contains("SUPPORT SESSION LOCKED BACK", json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
        Assert.Equal("azs", json.GetProperty("Stamp").GetString());
        Assert.Equal(ExpectedCommands.All, json.GetProperty("Commands").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("SupportTokenNoPendingRequest", json.GetProperty("SecondUse").GetString());
        Assert.Equal("SupportTokenExpired", json.GetProperty("Expired").GetString());
        Assert.Equal(2, json.GetProperty("AuthorityExit").GetInt32());
        Assert.Contains("expired", json.GetProperty("AuthorityMessage").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Locked", json.GetProperty("FinalState").GetString());

        string transcript = await fixture.SealedTranscriptAsync(marker);
        Assert.Contains("SUPPORT SESSION ELEVATED", transcript, StringComparison.Ordinal);
        Assert.Contains("SUPPORT SESSION LOCKED BACK", transcript, StringComparison.Ordinal);
    }
}
