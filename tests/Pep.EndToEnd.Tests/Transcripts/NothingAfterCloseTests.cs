using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>
/// Nothing after Close (issue 12): once Close-PrivilegedEndpoint has sealed the session, the rest of the same
/// invocation is refused (nothing of it runs; an endpoint cmdlet refuses by itself, and the first refusal ends the
/// invocation), and the attempt reaches the gateway's log.
/// </summary>
public sealed class NothingAfterCloseTests
{
    [Fact]
    public async Task CommandsAfterCloseInTheSameInvocation_AreRefused_AndTheAttemptIsInTheGatewaysLog()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("pep-test-after-close-");
        try
        {
            await using TestDeployment deployment = await TestDeployment.CreateAsync(1, adjust: config => config with
            {
                Transcripts = config.Transcripts with { Roots = [root.FullName] },
            });
            EndpointInstance instance = await deployment.StartAsync("ERCS01");
            string destination = Path.Combine(root.FullName, "delivered");
            ProcessResult result = await deployment.RunClientAsync($"$destination = '{destination}'\n" + """
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $before = (Invoke-Command -Session $pep { Get-AzSLegalNotice }).Caption
                $closed = Invoke-Command -Session $pep {
                    Close-PrivilegedEndpoint -TranscriptsPathDestination $using:destination
                    Set-AzSLegalNotice -Caption 'set after the seal' -Text 'must not be set'
                    Get-AzureStackStampInformation
                } -ErrorAction SilentlyContinue
                $pep2 = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $after = (Invoke-Command -Session $pep2 { Get-AzSLegalNotice }).Caption
                Remove-PSSession $pep2
                [pscustomobject]@{
                    Before = "$before"; After = "$after"
                    Delivered = @($closed | Where-Object { $_.PSObject.Properties['Delivered'] }).Count
                    Stamp = @($closed | Where-Object { $_.PSObject.Properties['StampName'] }).Count
                } | ConvertTo-Json -Compress
                """);

            JsonElement json = SessionTests.LastJson(result);
            Assert.Equal(1, json.GetProperty("Delivered").GetInt32());
            Assert.NotEqual("set after the seal", json.GetProperty("After").GetString());
            Assert.Equal(json.GetProperty("Before").GetString(), json.GetProperty("After").GetString());
            Assert.Equal(0, json.GetProperty("Stamp").GetInt32());
            await EndpointInstance.WaitUntilAsync(
                () => instance.Output.Contains("Set-AzSLegalNotice refused: Close-PrivilegedEndpoint had sealed the session", StringComparison.Ordinal),
                () => "the gateway logged the refused attempt:\n" + instance.Output);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Issue 12: what a session writes after its Close sealed it (here the refused command's own record, and
    /// PowerShell's lines of the Close, written when it ends) is never deleted unsealed: when the session ends the
    /// gateway seals it as a further ledger entry, and the next Close delivers it.
    /// </summary>
    [Fact]
    public async Task WhatASessionWritesAfterItsClosesSeal_IsSealedAsAFurtherEntry_AndTheNextCloseDeliversIt()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("pep-test-after-seal-");
        try
        {
            await using TestDeployment deployment = await TestDeployment.CreateAsync(1, adjust: config => config with
            {
                Transcripts = config.Transcripts with { Roots = [root.FullName] },
            });
            EndpointInstance instance = await deployment.StartAsync("ERCS01");
            string destination = Path.Combine(root.FullName, "delivered");
            string prelude = $"$destination = '{destination}'\n";
            ProcessResult first = await deployment.RunClientAsync(prelude + """
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $closed = Invoke-Command -Session $pep {
                    Close-PrivilegedEndpoint -TranscriptsPathDestination $using:destination
                    Set-AzSLegalNotice -Caption 'written after the seal' -Text 'refused'
                } -ErrorAction SilentlyContinue
                @($closed | Where-Object { $_.PSObject.Properties['Delivered'] } | ForEach-Object { $_.Delivered }) | ConvertTo-Json -Compress -AsArray
                """);
            string[] firstDelivered = [.. SessionTests.LastJson(first).EnumerateArray().Select(e => e.GetString()!)];
            string closedSession = Assert.Single(firstDelivered).Split('_')[3];

            // The session's end: its host is gone and what it wrote after the seal is in the ledger (event 1330).
            await EndpointInstance.WaitUntilAsync(
                () => instance.Output.Contains("written to after its Close sealed it; sealed again as", StringComparison.Ordinal),
                () => "the gateway sealed what was written after the Close:\n" + instance.Output);
            Assert.DoesNotContain(Directory.EnumerateDirectories(TranscriptTestKit.Store(deployment).Directory), d => Path.GetFileName(d) == closedSession);

            ProcessResult second = await deployment.RunClientAsync(prelude + """
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                Invoke-Command -Session $pep { Close-PrivilegedEndpoint -TranscriptsPathDestination $using:destination } | ForEach-Object { $_.Delivered } | ConvertTo-Json -Compress -AsArray
                """);
            string[] secondDelivered = [.. SessionTests.LastJson(second).EnumerateArray().Select(e => e.GetString()!)];

            string further = Assert.Single(secondDelivered, name => name.Split('_')[3] == closedSession);
            string text = await File.ReadAllTextAsync(Path.Combine(destination, further));
            Assert.Contains("Sealed again: written to after its Close sealed it (entry ", text, StringComparison.Ordinal);
            Assert.Contains("-Caption 'written after the seal'", text, StringComparison.Ordinal);
            Assert.DoesNotContain(further, firstDelivered);
            ProcessResult verified = await TranscriptTestKit.VerifyAsync(destination);
            Assert.True(verified.ExitCode == 0, verified.ToString());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
