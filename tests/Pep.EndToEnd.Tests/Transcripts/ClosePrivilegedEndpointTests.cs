using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;
using static Pep.EndToEnd.Tests.Transcripts.TranscriptTestKit;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>Close-PrivilegedEndpoint against a real Samba server, through the real pwsh client and real instances.</summary>
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
        await WaitUntilAsync(() => SealedFiles(deployment).Length == 0 && !Directory.EnumerateDirectories(Store(deployment).Directory).Any(d => Guid.TryParseExact(Path.GetFileName(d), "N", out _)),
            "nothing left on the instance but the ledger");

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

        Assert.Equal(["Closed", "Closed"], Ledger(deployment).Select(e => e.EndReason));

        ProcessResult verified = await VerifyAsync(share, "--instance-key", deployment.Layout.InstancePublicKey(Instance));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.Equal(2, verified.StandardOutput.Split('\n').Count(l => l.StartsWith("Intact", StringComparison.Ordinal)));

        // One flipped byte: verify names the file and fails with its own exit code.
        byte[] bytes = await File.ReadAllBytesAsync(delivered[1]);
        bytes[^10] ^= 0x01;
        await File.WriteAllBytesAsync(delivered[1], bytes);
        ProcessResult tampered = await VerifyAsync(share);
        Assert.Equal(4, tampered.ExitCode);
        Assert.Contains($"Changed          {Path.GetFileName(delivered[1])}", tampered.StandardOutput, StringComparison.Ordinal);
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

        string share = samba.FolderOnDisk("together");
        string[] delivered = Directory.GetFiles(share, "PEP_*.txt");
        Assert.Equal(2, delivered.Length);
        Assert.Equal(2, delivered.Select(f => Path.GetFileName(f).Split('_')[3]).Distinct().Count());
        Assert.Empty(SealedFiles(deployment));
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
