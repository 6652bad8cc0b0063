using System.Text.Json;
using System.Text.RegularExpressions;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;
using static Pep.EndToEnd.Tests.Transcripts.TranscriptTestKit;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>Close-PrivilegedEndpoint against a real Samba server, through the real pwsh client and real instances.</summary>
[Trait(Requires.Trait, Requires.Samba)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class ClosePrivilegedEndpointTests(SambaServer samba) : IClassFixture<SambaServer>
{
    [Fact]
    public async Task Close_MovesThisAndPendingTranscriptsToTheShare_AndPepVerifyChecksThem()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);

        // A session ended with Remove-PSSession (as Exit-PSSession does): its transcript stays pending.
        ProcessResult first = await deployment.RunClientAsync("""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CloudID.ToString()
            Remove-PSSession $s
            """);
        string firstCloudId = SessionTests.LastLine(first);
        await WaitUntilAsync(() => SealedFiles(deployment).Length == 1, "the first session's transcript sealed as pending");

        ProcessResult closing = await deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Invoke-Command -Session $s { Get-AzureStackStampInformation }
            Invoke-Command -Session $s { Close-PrivilegedEndpoint -TranscriptsPathDestination '{{samba.Unc("happy")}}' -Credential $using:shareCred }
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (($s.State -in @('Opened', 'Closing')) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            [pscustomobject]@{ After = "$($s.State)"; Reason = "$($s.Runspace.RunspaceStateInfo.Reason)" } | ConvertTo-Json -Compress
            """);

        // The session ends as closed, not broken: no error, no "ended unexpectedly".
        JsonElement after = SessionTests.LastJson(closing);
        Assert.Equal("Closed", after.GetProperty("After").GetString());
        Assert.Equal("", after.GetProperty("Reason").GetString());
        Assert.DoesNotContain("unexpectedly", closing.StandardError + closing.StandardOutput, StringComparison.Ordinal);

        string share = samba.FolderOnDisk("happy");
        string[] delivered = [.. Directory.GetFiles(share, "PEP_*.txt").Order(StringComparer.Ordinal)];
        Assert.Equal(2, delivered.Length);
        Assert.Empty(Directory.GetFiles(share, "*.partial", new EnumerationOptions { AttributesToSkip = 0 }));
        Assert.Single(Directory.GetFiles(share, "*.ledger.jsonl"));
        Assert.Single(Directory.GetFiles(share, "*.pub.pem"));
        // Left on the instance: the ledger, and what the closed session wrote after its Close's seal (PowerShell's lines
        // of the Close itself, written when it ended), sealed as a further entry for the next Close.
        await WaitUntilAsync(() => !Directory.EnumerateDirectories(Store(deployment).Directory).Any(d => Guid.TryParseExact(Path.GetFileName(d), "N", out _)),
            "both sessions' folders gone");
        string further = Assert.Single(SealedFiles(deployment));
        Assert.Contains("Sealed again: written to after its Close sealed it (entry ", await File.ReadAllTextAsync(further), StringComparison.Ordinal);
        Assert.Equal(Path.GetFileName(delivered[1]).Split('_')[3], Path.GetFileName(further).Split('_')[3]);

        string pending = await File.ReadAllTextAsync(delivered[0]);
        Assert.StartsWith("**********************\nPrivileged endpoint session transcript\nUser: AZURESTACK\\cloudadmin\nInstance: ERCS01\n", pending, StringComparison.Ordinal);
        Assert.Contains(firstCloudId, pending, StringComparison.Ordinal);
        string closed = await File.ReadAllTextAsync(delivered[1]);
        Assert.Contains("End reason: Closed", closed, StringComparison.Ordinal);
        Assert.Contains("Client address: 127.0.0.1", closed, StringComparison.Ordinal);
        Assert.Contains("Close-PrivilegedEndpoint", closed, StringComparison.Ordinal);
        foreach (string file in Directory.GetFiles(share))
        {
            Assert.DoesNotContain(samba.Password, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        Assert.Equal(["Closed", "Closed", "Closed"], Ledger(deployment).Select(e => e.EndReason));
        // The ledger records where each transcript went, and pep verify shows it.
        Assert.Equal(delivered.Select(Path.GetFileName), Deliveries(deployment).Select(e => e.File).Order(StringComparer.Ordinal));
        Assert.All(Deliveries(deployment), e => Assert.Equal(samba.Unc("happy"), e.Destination));

        ProcessResult verified = await VerifyAsync(share, "--instance-key", deployment.Layout.InstancePublicKey(Instance));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        string[] intact = [.. verified.StandardOutput.Split('\n').Where(l => l.StartsWith("Intact", StringComparison.Ordinal))];
        Assert.Equal(2, intact.Length);
        Assert.All(intact, line => Assert.Contains($"delivered to {samba.Unc("happy")} at ", line, StringComparison.Ordinal));

        // One flipped byte: verify names the file and fails with its own exit code.
        byte[] bytes = await File.ReadAllBytesAsync(delivered[1]);
        bytes[^10] ^= 0x01;
        await File.WriteAllBytesAsync(delivered[1], bytes);
        ProcessResult tampered = await VerifyAsync(share);
        Assert.Equal(4, tampered.ExitCode);
        Assert.Contains($"Changed          {Path.GetFileName(delivered[1])}", tampered.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// The operator leaves a session and at once closes the endpoint from another (opened beforehand, so that no login
    /// stands between the two): the Close waits for the session just left to be sealed and delivers it too.
    /// </summary>
    [Fact]
    public async Task Close_RightAfterAnotherSessionWasRemoved_DeliversThatSessionsTranscriptToo()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);

        ProcessResult result = await deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Invoke-Command -Session $s { Get-AzureStackStampInformation }
            $left = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            try { Invoke-Command -Session $left { Get-Command Left-ByRemovePSSession } -ErrorAction Stop } catch { }
            Remove-PSSession $left
            $closed = Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("left")}}' $using:shareCred }
            [pscustomobject]@{ Delivered = @($closed.Delivered); StillOpen = @($closed.StillOpen) } | ConvertTo-Json -Compress
            """);

        string share = samba.FolderOnDisk("left");
        string[] delivered = Directory.GetFiles(share, "PEP_*.txt");
        Assert.True(delivered.Length == 2, $"delivered {delivered.Length} transcript(s):\n{result}");
        Assert.Single(delivered, f => File.ReadAllText(f).Contains("Left-ByRemovePSSession", StringComparison.Ordinal));
        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal(delivered.Select(Path.GetFileName).Order(StringComparer.Ordinal), json.GetProperty("Delivered").EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(0, json.GetProperty("StillOpen").GetArrayLength());
        ProcessResult verified = await VerifyAsync(share);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    /// <summary>A session still open when another closes the endpoint is named in the Close's result; its transcript stays for a later Close.</summary>
    [Fact]
    public async Task Close_WhileAnotherSessionIsOpen_NamesThatSession()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        EndpointInstance instance = await deployment.StartAsync(Instance);
        using HeldSession open = await HeldSession.OpenAsync(deployment);
        string openId = Regex.Match(instance.Output, @"Session ([0-9a-f-]{36}) started").Groups[1].Value;

        ProcessResult result = await deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $closed = Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("open")}}' $using:shareCred } -InformationVariable said
            [pscustomobject]@{ Delivered = @($closed.Delivered); StillOpen = @($closed.StillOpen | ForEach-Object { "$($_.SessionId)" }); Said = "$said" } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal([openId], json.GetProperty("StillOpen").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(1, json.GetProperty("Delivered").GetArrayLength());
        Assert.Contains(openId, json.GetProperty("Said").GetString(), StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(samba.FolderOnDisk("open"), "PEP_*.txt"));

        // The other session goes on: the Close ended only its own.
        Assert.Equal("ERCS01", (await open.RunCommandAsync()).Trim());
    }

    [Fact]
    public async Task Close_WithAWrongShareCredential_FailsAndTheSessionStaysOpen()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);

        ProcessResult result = await deployment.RunClientAsync(ShareCredential(samba, password: "not-the-password") + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $id = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("wrongcred")}}' $using:shareCred } -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
            $local = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint '/etc/pep' $using:shareCred } -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
            $missing = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint } -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
            $still = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            [pscustomobject]@{ Id = $id; Local = $local; Missing = $missing; Still = $still; State = "$($s.State)" } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("TranscriptsShareAccessDenied", json.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("TranscriptsPathDestinationNotAllowed", json.GetProperty("Local").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("TranscriptsPathDestinationRequired", json.GetProperty("Missing").GetString(), StringComparison.Ordinal);
        Assert.Equal("ERCS01", json.GetProperty("Still").GetString());
        Assert.Equal("Opened", json.GetProperty("State").GetString());
        Assert.False(Directory.Exists(samba.FolderOnDisk("wrongcred")));

        // The session ended when the client exited: sealed once, kept here, with the refusals in it.
        await WaitUntilAsync(() => Ledger(deployment).Count == 1 && SealedFiles(deployment).Length == 1, "the session to be sealed when its client left");
        string text = await File.ReadAllTextAsync(Assert.Single(SealedFiles(deployment)));
        Assert.Contains("ERROR [Close-PrivilegedEndpoint] TranscriptsShareAccessDenied", text, StringComparison.Ordinal);
        Assert.Contains("ERROR [Close-PrivilegedEndpoint] TranscriptsPathDestinationRequired", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_ToADestinationOffTheAllowedList_IsRefusedBeforeAnythingMoves_AndTheSessionStaysOpen()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba, allowedDestinations: [samba.Unc("listed")]);
        await deployment.StartAsync(Instance);
        LedgerEntry pending = SealLargePending(deployment, megabytes: 1);

        ProcessResult result = await deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $refused = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("unlisted")}}' $using:shareCred } -ErrorAction Stop; $null } catch { $_ }
            $still = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            $state = "$($s.State)"
            $kept = Test-Path -LiteralPath '{{Path.Combine(Store(deployment).SealedDirectory, pending.File)}}'
            $recorded = @(Select-String -LiteralPath '{{Store(deployment).LedgerPath}}' -SimpleMatch '"kind":"Delivery"').Count
            Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("listed")}}' $using:shareCred }
            {{WaitForSessionEnd}}
            [pscustomobject]@{ Id = $refused.FullyQualifiedErrorId; Message = "$refused"; Still = $still; State = $state; Kept = $kept; Recorded = $recorded; Final = "$($s.State)" } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("TranscriptsPathDestinationNotAllowed", json.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Contains("transcripts.allowedDestinations", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Equal("ERCS01", json.GetProperty("Still").GetString());
        Assert.Equal("Opened", json.GetProperty("State").GetString());
        Assert.False(Directory.Exists(samba.FolderOnDisk("unlisted")));
        Assert.True(json.GetProperty("Kept").GetBoolean());
        Assert.Equal(0, json.GetProperty("Recorded").GetInt32());

        // The listed share then got everything, and the ledger names only it.
        Assert.Equal("Closed", json.GetProperty("Final").GetString());
        Assert.True(File.Exists(Path.Combine(samba.FolderOnDisk("listed"), pending.File)));
        Assert.Equal(2, Deliveries(deployment).Count);
        Assert.All(Deliveries(deployment), e => Assert.Equal(samba.Unc("listed"), e.Destination));
    }

    [Fact]
    public async Task TwoSessions_ClosingAtOnce_DeliverEveryTranscriptExactlyOnce()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);
        string ready = Path.Combine(deployment.StateDirectory, "ready-");
        string go = Path.Combine(deployment.StateDirectory, "go");
        string Script(string name) => ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Invoke-Command -Session $s { Get-AzureStackStampInformation }
            $null = New-Item -ItemType File '{{ready + name}}'
            {{WaitForFile(go)}}
            Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("together")}}' $using:shareCred }
            {{WaitForSessionEnd}}
            "$($s.State)"
            """;

        Task<ProcessResult> a = deployment.RunClientAsync(Script("a"));
        Task<ProcessResult> b = deployment.RunClientAsync(Script("b"));
        await WaitUntilAsync(() => (File.Exists(ready + "a") && File.Exists(ready + "b")) || a.IsCompleted || b.IsCompleted, "both sessions to be open", seconds: 150);
        if (a.IsCompleted || b.IsCompleted)
        {
            Assert.Fail($"A client ended before its Close:\n{await (a.IsCompleted ? a : b)}");
        }
        await File.WriteAllTextAsync(go, "");
        Assert.Equal("Closed", SessionTests.LastLine(await a));
        Assert.Equal("Closed", SessionTests.LastLine(await b));

        // The Close that came second waited for the first closed session's end, and delivered what that session wrote
        // after its seal too; what the second wrote after its own seal waits for the next Close.
        string share = samba.FolderOnDisk("together");
        string[] delivered = Directory.GetFiles(share, "PEP_*.txt");
        Assert.Equal(3, delivered.Length);
        Assert.Equal(2, delivered.Select(f => Path.GetFileName(f).Split('_')[3]).Distinct().Count());
        await WaitUntilAsync(() => SealedFiles(deployment).Length == 1, "the second closed session's further entry sealed");
        Assert.DoesNotContain(Path.GetFileName(Assert.Single(SealedFiles(deployment))), delivered.Select(Path.GetFileName));
        ProcessResult verified = await VerifyAsync(share);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [Fact]
    public async Task Transcript_HoldsEveryCommand_ItsErrors_AndTheEndpointsRefusals_EvenWhenIgnored()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);

        await deployment.RunClientAsync(ShareCredential(samba, password: "typed-by-mistake") + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Invoke-Command -Session $s { Get-AzureStackStampInformation }
            try { Invoke-Command -Session $s { Get-Command No-SuchCommand } -ErrorAction Stop } catch { }
            Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("ignored")}}' $using:shareCred -ErrorAction Ignore -WarningAction Ignore -InformationAction Ignore }
            Remove-PSSession $s
            """);

        await WaitUntilAsync(() => Ledger(deployment).Count == 1 && SealedFiles(deployment).Length == 1, "the session to be sealed");
        string text = await File.ReadAllTextAsync(Assert.Single(SealedFiles(deployment)));
        Assert.Contains("CommandInvocation(Get-AzureStackStampInformation)", text, StringComparison.Ordinal);
        Assert.Contains("No-SuchCommand", text, StringComparison.Ordinal);
        Assert.Contains("ERROR [Close-PrivilegedEndpoint] TranscriptsShareAccessDenied", text, StringComparison.Ordinal);
        Assert.DoesNotContain("typed-by-mistake", text, StringComparison.Ordinal);
    }

    /// <summary>An operator in Enter-PSSession (the real pwsh in a real terminal): Close takes them back to the local prompt, with no error.</summary>
    [Fact]
    [Trait(Requires.Trait, Requires.Tmux)]
    public async Task Close_InEnterPSSession_ReturnsToTheLocalPrompt_WithTheSessionClosedAndNoError()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("pep-test-delivered-");
        try
        {
            await using TestDeployment deployment = await CreateDeploymentAsync(samba, roots: [root.FullName]);
            await deployment.StartAsync(Instance);
            string tmuxSession = await InteractiveSessionTests.EnterInTerminalAsync(deployment, width: 200, setup: "$ErrorActionPreference = 'Continue'");
            try
            {
                await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "[127.0.0.1]: PS");
                await InteractiveSessionTests.Type(tmuxSession, $"Close-PrivilegedEndpoint -TranscriptsPathDestination '{Path.Combine(root.FullName, "interactive")}'");
                await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "The session is closed.");
                await InteractiveSessionTests.Type(tmuxSession, "$d = [datetime]::UtcNow.AddSeconds(30); while ($pep.State -ne 'Closed' -and [datetime]::UtcNow -lt $d) { Start-Sleep -Milliseconds 50 }; "
                    + "'local:' + $pep.State + ':' + $pep.Runspace.RunspaceStateInfo.Reason + ':end'");
                string screen = await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "local:Closed::end");

                Assert.DoesNotContain("unexpectedly", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("was not run", screen, StringComparison.Ordinal);
                Assert.DoesNotContain("rror", screen, StringComparison.Ordinal);
                Assert.Single(Directory.GetFiles(Path.Combine(root.FullName, "interactive"), "PEP_*.txt"));
            }
            finally
            {
                await InteractiveSessionTests.Tmux("kill-session", "-t", tmuxSession);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
