using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Break the glass end to end: the operator's real pwsh client against a real instance, the vendor's real
/// <c>pep authority grant</c> run as a process with the request token on its standard input.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class SupportSessionTests(SupportDeployment fixture) : IClassFixture<SupportDeployment>
{
    /// <summary>The one message every cryptographic refusal gives (the README's promise: it never says which check failed).</summary>
    private const string InvalidTokenMessage = "The token is not valid here: it was not issued for this request by the registered support authority.";

    private TestDeployment Deployment => fixture.Deployment;

    [Fact]
    public async Task Unlock_WithTheAuthorityResponse_MakesTheSameSessionAFullPowerShellSession()
    {
        string marker = $"native-ran-elevated-{Guid.NewGuid():N}";
        ProcessResult result = await Deployment.RunClientAsync(fixture.Variables + $"$marker = '{marker}'\n" + """
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $request = Invoke-Command -Session $pep { Get-SupportSessionToken }
            $response = Grant $request
            $before = Invoke-Command -Session $pep { Get-SupportSessionInfo }
            $unlocked = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningVariable banner -WarningAction SilentlyContinue
            $elevated = Invoke-Command -Session $pep {
                [pscustomobject]@{
                    Sum = 1 + 1
                    Language = "$($ExecutionContext.SessionState.LanguageMode)"
                    Native = (& /bin/echo $using:marker)
                    RootEntries = @(Get-ChildItem / | Select-Object -First 3).Count
                    Module = (Import-Module Microsoft.PowerShell.Archive -PassThru).Name
                    ProcessId = (Get-Process -Id $PID).Id
                    User = [Environment]::UserName
                    Commands = @(Get-Command).Count
                    Version = $PSVersionTable.PSVersion.Major
                }
            }
            $info = Invoke-Command -Session $pep { Get-SupportSessionInfo }
            Remove-PSSession $pep
            [pscustomobject]@{
                RequestLines = @($request -split "`n").Count
                BeforeState = $before.State; BeforePending = $before.RequestPending
                UnlockState = $unlocked.State; Banner = "$banner"; Elevated = $elevated
                State = $info.State; UnlockedBy = $info.UnlockedBy; GrantedHours = $info.GrantedDuration.TotalHours
                RemainingHours = $info.RemainingTime.TotalHours; SecondsUntil = ($info.ElevatedUntilUtc - $info.ElevatedSinceUtc).TotalSeconds
            } | ConvertTo-Json -Compress -Depth 4
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.True(json.GetProperty("RequestLines").GetInt32() > 3);
        Assert.Equal("Locked", json.GetProperty("BeforeState").GetString());
        Assert.True(json.GetProperty("BeforePending").GetBoolean());
        Assert.Equal("Elevated", json.GetProperty("UnlockState").GetString());
        Assert.Contains("SUPPORT SESSION ELEVATED", json.GetProperty("Banner").GetString(), StringComparison.Ordinal);
        JsonElement elevated = json.GetProperty("Elevated");
        Assert.Equal(2, elevated.GetProperty("Sum").GetInt32());
        Assert.Equal("FullLanguage", elevated.GetProperty("Language").GetString());
        Assert.Equal(marker, elevated.GetProperty("Native").GetString());
        Assert.True(elevated.GetProperty("RootEntries").GetInt32() > 0);
        Assert.Equal("Microsoft.PowerShell.Archive", elevated.GetProperty("Module").GetString());
        Assert.True(elevated.GetProperty("ProcessId").GetInt32() > 0);
        // Elevated, it is still its own session account when the deployment was set up as root (never the gateway's
        // nor root); without root there is no separation and it runs as the account that started the endpoint.
        Assert.StartsWith(Pep.Core.Platform.PosixOwnership.IsRoot ? Pep.Core.Identities.ServiceAccounts.SessionUserPrefix : Environment.UserName,
            elevated.GetProperty("User").GetString(), StringComparison.Ordinal);
        Assert.True(elevated.GetProperty("Commands").GetInt32() > 100, "Every command is visible when elevated.");
        Assert.Equal(7, elevated.GetProperty("Version").GetInt32());
        Assert.Equal("Elevated", json.GetProperty("State").GetString());
        Assert.Equal(TestDeployment.AdminUser, json.GetProperty("UnlockedBy").GetString());
        Assert.Equal(4, json.GetProperty("GrantedHours").GetDouble());
        Assert.InRange(json.GetProperty("RemainingHours").GetDouble(), 3.9, 4.0);
        Assert.Equal(4 * 3600, json.GetProperty("SecondsUntil").GetDouble());

        // This session's transcript shows the elevation and what was done while elevated.
        string transcript = await fixture.SealedTranscriptAsync(marker);
        Assert.Contains("SUPPORT SESSION ELEVATED", transcript, StringComparison.Ordinal);

        // The authority logged the grant; the session's support.log names the same request.
        string grant = File.ReadAllLines(fixture.Authority.GrantLog).Last();
        using JsonDocument grantJson = JsonDocument.Parse(grant);
        string requestHash = grantJson.RootElement.GetProperty("requestHash").GetString()!;
        Assert.Equal("e2e vendor", grantJson.RootElement.GetProperty("grantedBy").GetString());
        Assert.Equal(4 * 3600, grantJson.RootElement.GetProperty("durationSeconds").GetInt32());
        Assert.Contains(requestHash, transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlock_WithAnyInvalidToken_IsRefusedAndTheSessionStaysLocked()
    {
        string marker = $"invalid-tokens-{Guid.NewGuid():N}";
        ProcessResult result = await Deployment.RunClientAsync(fixture.Variables + $"$marker = '{marker}'\n" + """
            $a = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $b = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $null = Invoke-Command -Session $a { Get-Command -Name $using:marker -ErrorAction Ignore }
            $responseB = Grant (Invoke-Command -Session $b { Get-SupportSessionToken })
            $r = [ordered]@{}
            $r.NoRequest = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:responseB } -ErrorAction Stop }
            $requestA = Invoke-Command -Session $a { Get-SupportSessionToken }
            $responseA = Grant $requestA
            $r.OtherSession = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:responseB } -ErrorAction Stop }
            $damaged = $responseA.Substring(0, 10) + $(if ($responseA[10] -eq 'A') { 'B' } else { 'A' }) + $responseA.Substring(11)
            $r.Damaged = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:damaged } -ErrorAction Stop }
            $tampered = Retamper $responseA
            $r.Tampered = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:tampered } -ErrorAction Stop }
            $forged = Grant $requestA -key $impostor
            $r.OtherSigningKey = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:forged } -ErrorAction Stop }
            $r.WrongKind = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:requestA } -ErrorAction Stop }
            $huge = 'A' * 100000
            $r.Huge = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:huge } -ErrorAction Stop }
            $r.Message = try { Invoke-Command -Session $a { Unlock-SupportSession $using:forged } -ErrorAction Stop } catch { $_.Exception.Message }
            $r.State = (Invoke-Command -Session $a { Get-SupportSessionInfo }).State
            $r.Script = Refusal { Invoke-Command -Session $a { 1+1 } -ErrorAction Stop }
            $r.GenuineAfterRefusals = (Invoke-Command -Session $a { Unlock-SupportSession $using:responseA } -WarningAction SilentlyContinue).State
            $r.SecondUse = Refusal { Invoke-Command -Session $a { Unlock-SupportSession $using:responseA } -ErrorAction Stop }
            $r.OtherSessionStillLocked = (Invoke-Command -Session $b { Get-SupportSessionInfo }).State
            Remove-PSSession $a, $b
            [pscustomobject]$r | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("SupportTokenNoPendingRequest", json.GetProperty("NoRequest").GetString());
        Assert.Equal("SupportTokenInvalid", json.GetProperty("OtherSession").GetString());
        Assert.Equal("SupportTokenDamaged", json.GetProperty("Damaged").GetString());
        Assert.Equal("SupportTokenInvalid", json.GetProperty("Tampered").GetString());
        Assert.Equal("SupportTokenInvalid", json.GetProperty("OtherSigningKey").GetString());
        Assert.Equal("SupportTokenWrongKind", json.GetProperty("WrongKind").GetString());
        Assert.Equal("ParameterArgumentValidationError", json.GetProperty("Huge").GetString());
        Assert.Equal(InvalidTokenMessage, json.GetProperty("Message").GetString());
        Assert.Equal("Locked", json.GetProperty("State").GetString());
        Assert.Equal("ScriptsNotAllowed", json.GetProperty("Script").GetString());
        Assert.Equal("Elevated", json.GetProperty("GenuineAfterRefusals").GetString());
        Assert.Equal("SupportTokenAlreadyElevated", json.GetProperty("SecondUse").GetString());
        Assert.Equal("Locked", json.GetProperty("OtherSessionStillLocked").GetString());

        // Every refused attempt is in this session's transcript and in its support.log.
        string transcript = await fixture.SealedTranscriptAsync(marker);
        Assert.Contains(InvalidTokenMessage, transcript, StringComparison.Ordinal);
        Assert.Contains("damaged in transit", transcript, StringComparison.Ordinal);
        Assert.Contains("\"failure\":\"Invalid\"", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnlockSupportSession_WithoutTheToken_PromptsForResponseToken()
    {
        // The client reads its commands from standard input, like an operator typing; the line after the
        // command answers the remote prompt.
        string typed = PwshClient.Prelude(TestDeployment.AdminUser, Deployment.ComputerNames, Deployment.Thumbprint)
            + "$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000\n"
            + "try { Invoke-Command -Session $pep { Unlock-SupportSession } -ErrorAction Stop } catch { 'refused: ' + $_.FullyQualifiedErrorId.Split(',')[0] }\n"
            + "AAAAAAAA BBBBBBBB\n"
            + "'state: ' + (Invoke-Command -Session $pep { Get-SupportSessionInfo }).State\n";

        ProcessResult result = await ProcessRunner.RunAsync(RepositoryPaths.Pwsh, ["-NoLogo", "-NoProfile", "-Command", "-"],
            new Dictionary<string, string> { ["PEP_TEST_PASSWORD"] = Deployment.AdminPassword }, standardInput: typed);

        Assert.Contains("ResponseToken:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("refused: SupportTokenDamaged", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("state: Locked", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnlockSupportSession_WithoutTheToken_IsMandatoryAtPositionZero()
    {
        ProcessResult result = await Deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $syntax = Invoke-Command -Session $pep { Get-Command Unlock-SupportSession -Syntax } | Out-String
            [pscustomobject]@{ Syntax = $syntax.Trim() } | ConvertTo-Json -Compress
            """);

        Assert.Contains("Unlock-SupportSession [-ResponseToken] <string>", SessionTests.LastJson(result).GetProperty("Syntax").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASupportLogTheHostCannotWrite_RefusesTheUnlock_LeavesTheResponseUnused_AndReachesTheGatewaysLog()
    {
        string transcripts = Deployment.Layout.TranscriptDirectory("ERCS01");
        HashSet<string> before = [.. Directory.EnumerateDirectories(transcripts)];
        string broken = Path.Combine(Deployment.StateDirectory, "support-log-test.broken");
        string go = Path.Combine(Deployment.StateDirectory, "support-log-test.go");
        string repaired = Path.Combine(Deployment.StateDirectory, "support-log-test.repaired");
        string again = Path.Combine(Deployment.StateDirectory, "support-log-test.again");
        using System.Diagnostics.Process client = Deployment.StartClient(fixture.Variables + $$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken })
            Set-Content '{{broken}}' 'ready'
            while (-not (Test-Path '{{go}}')) { Start-Sleep -Milliseconds 50 }
            $refused = Refusal { Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -ErrorAction Stop }
            $info = Invoke-Command -Session $pep { Get-SupportSessionInfo }
            Set-Content '{{repaired}}' 'ready'
            while (-not (Test-Path '{{again}}')) { Start-Sleep -Milliseconds 50 }
            $unlocked = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
            Remove-PSSession $pep
            [pscustomobject]@{ Refused = $refused; StateAfter = $info.State; PendingAfter = $info.RequestPending; Unlocked = $unlocked.State } | ConvertTo-Json -Compress
            """);
        await EndpointInstance.WaitUntilAsync(() => File.Exists(broken) || client.HasExited, "the client has its response", TimeSpan.FromSeconds(120));
        string folder = Assert.Single(Directory.EnumerateDirectories(transcripts), d => !before.Contains(d) && Guid.TryParseExact(Path.GetFileName(d), "N", out _));
        Guid sessionId = Guid.ParseExact(Path.GetFileName(folder), "N");

        // A folder where support.log is: the host cannot append to it (even as root).
        string supportLog = Path.Combine(folder, "support.log");
        string kept = Path.Combine(Deployment.StateDirectory, "support-log-test.kept");
        File.Move(supportLog, kept);
        Directory.CreateDirectory(supportLog);
        await File.WriteAllTextAsync(go, "");
        await EndpointInstance.WaitUntilAsync(() => File.Exists(repaired) || client.HasExited, "the unlock was tried", TimeSpan.FromSeconds(120));
        Directory.Delete(supportLog);
        File.Move(kept, supportLog);
        await File.WriteAllTextAsync(again, "");
        string output = await client.StandardOutput.ReadToEndAsync();
        await client.WaitForExitAsync();

        JsonElement json = SessionTests.LastJson(new ProcessResult(client.ExitCode, output, ""));
        Assert.Equal("SupportAuditLogUnavailable", json.GetProperty("Refused").GetString());
        Assert.Equal("Locked", json.GetProperty("StateAfter").GetString());
        Assert.True(json.GetProperty("PendingAfter").GetBoolean(), "the refused unlock did not use the response");
        Assert.Equal("Elevated", json.GetProperty("Unlocked").GetString());
        EndpointInstance instance = Deployment.Running.Single();
        await EndpointInstance.WaitUntilAsync(
            () => instance.Output.Contains($"fail: Pep.Gateway[1630] Session {sessionId}: support.log could not be written; the step was refused: support.log not written (unlockAttempt)", StringComparison.Ordinal),
            () => "the gateway logged the host's warning:\n" + instance.Output);
    }
}
