using System.Diagnostics;
using System.Text.Json;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;
using static Pep.EndToEnd.Tests.Transcripts.TranscriptTestKit;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>Transcripts under faults: the share going away mid-copy, a killed session host, a killed gateway, a full disk.</summary>
[Trait(Requires.Trait, Requires.Samba)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class TranscriptFaultTests(SambaServer samba) : IClassFixture<SambaServer>
{
    [Fact]
    public async Task Close_WhenTheShareGoesAwayMidCopy_FailsKeepsEverything_AndARetryCompletes()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        await deployment.StartAsync(Instance);
        LedgerEntry large = SealLargePending(deployment, megabytes: 256);
        string share = samba.FolderOnDisk("goesaway");
        string firstDone = Path.Combine(deployment.StateDirectory, "first-close-done");
        string shareBack = Path.Combine(deployment.StateDirectory, "share-back");

        Task<ProcessResult> client = deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $first = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("goesaway")}}' $using:shareCred } -ErrorAction Stop; 'none' } catch { $_.FullyQualifiedErrorId }
            $still = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            $null = New-Item -ItemType File '{{firstDone}}'
            {{WaitForFile(shareBack)}}
            Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("goesaway")}}' $using:shareCred }
            {{WaitForSessionEnd}}
            [pscustomobject]@{ First = $first; Still = $still; After = "$($s.State)" } | ConvertTo-Json -Compress
            """);

        await WaitUntilAsync(() => PartialCopies(share).Length > 0, "the copy of the large transcript to start", seconds: 120);
        await samba.StopAsync();
        await WaitUntilAsync(() => File.Exists(firstDone) || client.IsCompleted, "the first Close to fail", seconds: 120);

        // While the share is gone: nothing was removed here, and no partial copy carries a final name.
        Assert.Contains(SealedFiles(deployment), f => Path.GetFileName(f) == large.File);
        Assert.False(File.Exists(Path.Combine(share, large.File)));

        await samba.StartAsync();
        await File.WriteAllTextAsync(shareBack, "");
        JsonElement json = SessionTests.LastJson(await client);
        Assert.Equal("TranscriptsShareUnreachable", json.GetProperty("First").GetString()!.Split(',')[0]);
        Assert.Equal("ERCS01", json.GetProperty("Still").GetString());
        Assert.Equal("Closed", json.GetProperty("After").GetString());

        Assert.True(File.Exists(Path.Combine(share, large.File)));
        Assert.Empty(PartialCopies(share));
        // Left here: only what the closed session wrote after its Close's seal, sealed as a further entry for the next Close.
        await WaitUntilAsync(() => !Directory.EnumerateDirectories(Store(deployment).Directory).Any(d => Guid.TryParseExact(Path.GetFileName(d), "N", out _)),
            "the closed session's folders gone");
        Assert.All(SealedFiles(deployment), f => Assert.Contains("\nSealed again: ", File.ReadAllText(f), StringComparison.Ordinal));
        ProcessResult verified = await VerifyAsync(share);
        Assert.True(verified.ExitCode == 0, verified.ToString());
    }

    [Fact]
    public async Task SessionHost_KilledMidCommand_IsSealedAsHostExited_WithItsOutputSoFar()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        EndpointInstance instance = await deployment.StartAsync(Instance);
        LedgerEntry large = SealLargePending(deployment, megabytes: 256);
        string share = samba.FolderOnDisk("hostkilled");

        Task<ProcessResult> client = deployment.RunClientAsync(ShareCredential(samba) + $$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $cloud = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CloudID.ToString()
            $close = try { Invoke-Command -Session $s { Close-PrivilegedEndpoint '{{samba.Unc("hostkilled")}}' $using:shareCred } -ErrorAction Stop; 'none' } catch { 'failed' }
            [pscustomobject]@{ Cloud = $cloud; Close = $close } | ConvertTo-Json -Compress
            """);

        await WaitUntilAsync(() => PartialCopies(share).Length > 0, "Close to be copying", seconds: 120);
        int host = LastHostPid(instance);
        Process.GetProcessById(host).Kill();
        JsonElement json = SessionTests.LastJson(await client);
        string cloud = json.GetProperty("Cloud").GetString()!;

        await WaitUntilAsync(() => Ledger(deployment).Any(e => e.EndReason == "HostExited" && e.File != large.File && File.Exists(Path.Combine(Store(deployment).SealedDirectory, e.File))),
            "the killed session to be sealed");
        LedgerEntry killed = Ledger(deployment).Last(e => e.EndReason == "HostExited");
        string text = await File.ReadAllTextAsync(Path.Combine(Store(deployment).SealedDirectory, killed.File));
        Assert.Contains("End reason: HostExited", text, StringComparison.Ordinal);
        Assert.Contains(cloud, text, StringComparison.Ordinal);
        Assert.Contains("START [Close-PrivilegedEndpoint] -TranscriptsPathDestination", text, StringComparison.Ordinal);
        Assert.Contains("VERBOSE [Close-PrivilegedEndpoint] Checking the destination", text, StringComparison.Ordinal);
        Assert.DoesNotContain(samba.Password, text, StringComparison.Ordinal);
        Assert.Contains(SealedFiles(deployment), f => Path.GetFileName(f) == large.File);
        Assert.False(File.Exists(Path.Combine(share, large.File)));
    }

    [Fact]
    public async Task Gateway_KilledAndRestarted_SealsWhatItsPredecessorLeft()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        EndpointInstance instance = await deployment.StartAsync(Instance);
        string ran = Path.Combine(deployment.StateDirectory, "command-ran");
        string release = Path.Combine(deployment.StateDirectory, "release");

        Task<ProcessResult> client = deployment.RunClientAsync($$"""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $cloud = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CloudID.ToString()
            Set-Content '{{ran}}' $cloud
            {{WaitForFile(release)}}
            'done'
            """);

        await WaitUntilAsync(() => File.Exists(ran) && File.ReadAllText(ran).Trim().Length > 0, "the session's first command");
        string cloud = File.ReadAllText(ran).Trim();
        int host = LastHostPid(instance);
        instance.Kill();
        await WaitUntilAsync(() => instance.HasExited && !IsRunning(host), "the gateway and its orphaned session host to be gone");
        Assert.Empty(Ledger(deployment));

        await deployment.StartAsync(Instance);
        LedgerEntry entry = Assert.Single(Ledger(deployment));
        Assert.Equal("GatewayRestart", entry.EndReason);
        string text = await File.ReadAllTextAsync(Path.Combine(Store(deployment).SealedDirectory, entry.File));
        Assert.Contains(cloud, text, StringComparison.Ordinal);
        Assert.Contains("End reason: GatewayRestart", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(release, "");
        await client;
    }

    /// <summary>
    /// A full transcript disk: a 1 MiB tmpfs mounted over the instance's transcript directory (the tests run as
    /// root; mount is part of the fixture) and filled while the instance runs.
    /// </summary>
    [Fact]
    public async Task TranscriptDisk_Full_RefusesNewSessionsWithAClearMessage()
    {
        await using TestDeployment deployment = await CreateDeploymentAsync(samba);
        string transcripts = deployment.Layout.TranscriptDirectory(Instance);
        ProcessResult mounted = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", transcripts]);
        Assert.True(mounted.ExitCode == 0, $"mounting a tmpfs needs root: {mounted}");
        try
        {
            await deployment.StartAsync(Instance);
            ProcessResult before = await deployment.RunClientAsync("""
                $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
                (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
                Remove-PSSession $s
                """);
            Assert.Equal("ERCS01", SessionTests.LastLine(before));

            FillDisk(Path.Combine(transcripts, "filler"));
            ProcessResult after = await deployment.RunClientAsync("""
                try { $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint; 'opened' } catch { $_.Exception.Message }
                """);
            string refusal = SessionTests.LastLine(after);
            Assert.Contains("cannot write transcripts", refusal, StringComparison.Ordinal);
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", ["-l", transcripts]);
        }
    }

    private static void FillDisk(string path)
    {
        byte[] block = new byte[64 * 1024];
        using var filler = new FileStream(path, FileMode.Create, FileAccess.Write);
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush(flushToDisk: true);
            }
        }
        catch (IOException)
        {
            // No space left: the disk is full.
        }
    }
}
