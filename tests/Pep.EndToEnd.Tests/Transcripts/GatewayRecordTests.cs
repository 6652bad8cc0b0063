using Pep.Core.Deployment;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;
using static Pep.EndToEnd.Tests.Transcripts.TranscriptTestKit;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>
/// The gateway's own record and the anchored chain end to end: a real elevated session (the real unlock flow) that
/// tampers with its own live folder, a real Close to a local folder, and the real <c>pep verify</c>.
/// </summary>
[Collection(SupportSequence.Name)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class GatewayRecordTests(GatewayRecordTests.RecordDeployment fixture) : IClassFixture<GatewayRecordTests.RecordDeployment>
{
    /// <summary>A support deployment whose Close may deliver to a local folder.</summary>
    public sealed class RecordDeployment : SupportDeployment
    {
        public string Roots { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pep-record-out-" + Guid.NewGuid().ToString("N")[..12])).FullName;

        protected override DeploymentConfig Adjust(DeploymentConfig config)
            => base.Adjust(config) with { Transcripts = config.Transcripts with { Roots = [Roots] } };
    }

    private string Destination(string name) => TestDeployment.GiveToGateway(Directory.CreateDirectory(Path.Combine(fixture.Roots, name)).FullName);

    [Fact]
    public async Task AnElevatedSessionThatRewritesItsOwnRecords_IsCaughtByPepVerify_AndTheHeaderNamesTheRealUser()
    {
        string destination = Destination("tampered");
        ProcessResult result = await fixture.Deployment.RunClientAsync(fixture.Variables + $"$destination = '{destination}'\n" + """
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken })
            $null = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
            $null = Invoke-Command -Session $pep { Get-TimeZone }
            Invoke-Command -Session $pep {
                # Its own live folder, by its session id: the transcripts folder cannot be listed by a session account.
                $live = Join-Path $using:transcripts ($env:PEP_SESSION_ID -replace '-', '')
                Get-ChildItem $live -Recurse -Filter 'PowerShell_transcript*.txt' | ForEach-Object { [IO.File]::WriteAllText($_.FullName, "nothing happened here`n") }
                [IO.File]::WriteAllText((Join-Path $live 'endpoint-streams.log'), '')
                Remove-Item (Join-Path $live 'support.log')
                $null = New-Item -ItemType SymbolicLink -Path (Join-Path $live 'support.log') -Target /dev/null
                $forged = '{"sessionId":"00000000-0000-0000-0000-000000000000","user":"AZURESTACK\\someoneelse","instance":"ERCS01","clientAddress":"10.66.66.66","startedUtc":"2026-01-01T00:00:00Z","culture":"en-US"}'
                [IO.File]::WriteAllText((Join-Path $live 'session.json'), $forged)
                'tampered'
            }
            Invoke-Command -Session $pep { Close-PrivilegedEndpoint -TranscriptsPathDestination $using:destination } -ErrorAction Stop | Out-Null
            'closed'
            """);
        Assert.True(SessionTests.LastLine(result) == "closed", result.ToString());

        ProcessResult verified = await VerifyAsync(destination);

        Assert.True(verified.ExitCode == 4, verified.ToString());
        Assert.Contains(verified.StandardOutput.Split('\n'), l => l.StartsWith("Disagrees", StringComparison.Ordinal) && l.Contains("'Get-TimeZone'", StringComparison.Ordinal));
        // A Close of another test of the class may have left its session's further entry (what it wrote after its seal),
        // which this Close delivers too: the file of this session is the one sealed by its own Close.
        string sealedFile = Assert.Single(Directory.GetFiles(destination, "PEP_*.txt"), f => !File.ReadAllText(f).Contains("\nSealed again: ", StringComparison.Ordinal));
        var sections = SealedTranscriptSections.Read(sealedFile);
        Assert.NotNull(sections);
        Assert.Equal(@"AZURESTACK\cloudadmin", sections.Value.Header["User"]);
        Assert.Equal("127.0.0.1", sections.Value.Header["Client address"]);
        SealedTranscriptSections.Section check = Assert.Single(sections.Value.Sections, s => s.Title == SealedTranscriptWriter.CheckSection);
        Assert.Contains("support.log: a symbolic link to /dev/null: not followed", check.Body, StringComparison.Ordinal);
        SealedTranscriptSections.Section record = Assert.Single(sections.Value.Sections, s => s.Title == SealedTranscriptWriter.RecordSection);
        Assert.Contains(" Pipeline ", record.Body, StringComparison.Ordinal);
        Assert.Contains("Unlock-SupportSession", record.Body, StringComparison.Ordinal);
        // The record decodes when the session is quiet; the Close brings it up to the Close before it seals.
        Assert.Contains("Close-PrivilegedEndpoint -TranscriptsPathDestination", record.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("someoneelse", string.Concat(Ledger(fixture.Deployment).Select(e => e.User)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeliveryWhoseLastEntriesAndTranscriptsWereRemoved_FailsPepVerifyGivenThePreviousDelivery()
    {
        string destination = Destination("chain");
        string previous = Destination("chain-previous");
        const string Close = """
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $null = Invoke-Command -Session $s { Get-AzureStackStampInformation }
            Invoke-Command -Session $s { Close-PrivilegedEndpoint -TranscriptsPathDestination $using:destination } -ErrorAction Stop | Out-Null
            'closed'
            """;
        string variables = fixture.Variables + $"$destination = '{destination}'\n";
        Assert.Equal("closed", SessionTests.LastLine(await fixture.Deployment.RunClientAsync(variables + Close)));
        foreach (string file in Directory.GetFiles(destination))
        {
            File.Copy(file, Path.Combine(previous, Path.GetFileName(file)));
        }

        Assert.Equal("closed", SessionTests.LastLine(await fixture.Deployment.RunClientAsync(variables + Close)));
        // The class's other sessions were delivered elsewhere (Removed here): only the chain's end is this test's.
        ProcessResult before = await VerifyAsync(destination, "--previous", previous);
        Assert.DoesNotContain(before.StandardOutput.Split('\n'), l => l.StartsWith("Truncated", StringComparison.Ordinal));
        Assert.Contains(before.StandardOutput.Split('\n'), l => l.StartsWith("Intact", StringComparison.Ordinal));

        // Remove the last entries (the second Close's, and the first Close's last one) and the transcripts they seal,
        // and put back the first delivery's head, as someone hiding the second session would.
        string ledgerPath = Assert.Single(Directory.GetFiles(destination, "*" + DeliveredNames.LedgerSuffix));
        string[] lines = File.ReadAllLines(ledgerPath);
        int keep = File.ReadAllLines(Path.Combine(previous, Path.GetFileName(ledgerPath))).Length - 1;
        foreach (string removed in lines[keep..].Select(l => LedgerEntry.TryParse(l, out _)!.File).Distinct())
        {
            if (!lines[..keep].Any(l => LedgerEntry.TryParse(l, out _)!.File == removed))
            {
                File.Delete(Path.Combine(destination, removed));
            }
        }

        File.WriteAllLines(ledgerPath, lines[..keep]);
        string head = Assert.Single(Directory.GetFiles(previous, "*" + DeliveredNames.HeadSuffix));
        File.Copy(head, Path.Combine(destination, Path.GetFileName(head)), overwrite: true);

        ProcessResult verified = await VerifyAsync(destination, "--previous", previous);

        Assert.True(verified.ExitCode == 4, verified.ToString());
        Assert.Contains(verified.StandardOutput.Split('\n'), l => l.StartsWith("Truncated", StringComparison.Ordinal) && l.Contains("the previous delivery's signed head", StringComparison.Ordinal));
    }
}
