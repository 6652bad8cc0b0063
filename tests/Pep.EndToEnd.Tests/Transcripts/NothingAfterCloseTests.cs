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
}
