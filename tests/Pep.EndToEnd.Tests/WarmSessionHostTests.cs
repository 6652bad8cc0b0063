using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>A support deployment whose instance keeps one warm session host.</summary>
public sealed class WarmSupportDeployment : SupportDeployment
{
    protected override int WarmSessionHosts => 1;
}

/// <summary>
/// The warm session host pool, end to end: a login takes a host that was started and warmed up before it,
/// that host serves exactly that login (identity, culture, transcript) and never another one, and the pool
/// refills. The session is unlocked with the vendor's grant to look inside the host.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class WarmSessionHostTests(WarmSupportDeployment fixture) : IClassFixture<WarmSupportDeployment>
{
    private TestDeployment Deployment => fixture.Deployment;

    [Fact]
    public async Task ALogin_TakesTheWarmHost_WhichServesThatLoginInItsCulture_AndIsNeverGivenToAnother()
    {
        EndpointInstance instance = Deployment.Running.Single();
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds().Count == 1, "the pool holds one warm host", TimeSpan.FromSeconds(60));
        int warm = instance.WarmHostIds().Single();

        ProcessResult result = await Deployment.RunClientAsync(fixture.Variables + """
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture de-DE -UICulture de-DE
            $stamp = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
            $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken })
            $null = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
            $inside = Invoke-Command -Session $pep {
                [pscustomobject]@{ ProcessId = $PID; Culture = (Get-Culture).Name; UICulture = (Get-UICulture).Name; Date = (Get-Date '2026-03-01').ToString('d') }
            }
            $info = Invoke-Command -Session $pep { Get-SupportSessionInfo }
            Remove-PSSession $pep
            $second = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $null = Invoke-Command -Session $second { Get-AzureStackStampInformation }
            Remove-PSSession $second
            [pscustomobject]@{ Inside = $inside; UnlockedBy = $info.UnlockedBy } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        JsonElement inside = json.GetProperty("Inside");
        Assert.Equal(warm, inside.GetProperty("ProcessId").GetInt32());
        Assert.Equal("de-DE", inside.GetProperty("Culture").GetString());
        Assert.Equal("de-DE", inside.GetProperty("UICulture").GetString());
        Assert.Equal("01.03.2026", inside.GetProperty("Date").GetString());
        Assert.Equal(TestDeployment.AdminUser, json.GetProperty("UnlockedBy").GetString());

        // The host served one session and ended with it; the second login got another host; the pool refilled.
        string log = instance.Output;
        Assert.Contains($"(host pid {warm})", log, StringComparison.Ordinal);
        Assert.Equal(2, log.Split('\n').Count(l => l.Contains("Pep.Gateway[1200]", StringComparison.Ordinal)));
        Assert.Single(log.Split('\n'), l => l.Contains($"(host pid {warm})", StringComparison.Ordinal));
        await EndpointInstance.WaitUntilAsync(() => !Directory.Exists($"/proc/{warm}"), "the used warm host is gone");
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds().Count == 1 && instance.WarmHostIds()[0] != warm, "the pool refilled with a new host", TimeSpan.FromSeconds(60));

        // Its transcript is the login's, under the session id the host was started for.
        string started = log.Split('\n').Single(l => l.Contains($"(host pid {warm})", StringComparison.Ordinal));
        Guid sessionId = Guid.Parse(started.Split("Session ")[1].Split(' ')[0]);
        string sealedTranscript = await WaitForSealedTranscriptAsync(sessionId);
        Assert.Contains("Get-AzureStackStampInformation", sealedTranscript, StringComparison.Ordinal);
        Assert.Contains(TestDeployment.AdminUser, sealedTranscript, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> WaitForSealedTranscriptAsync(Guid sessionId)
    {
        string sealedFolder = Path.Combine(Deployment.Layout.TranscriptDirectory("ERCS01"), "sealed");
        string? file = null;
        await EndpointInstance.WaitUntilAsync(
            () => (file = Directory.Exists(sealedFolder) ? Directory.GetFiles(sealedFolder, $"PEP_*_{sessionId:N}_*.txt").FirstOrDefault() : null) is not null,
            "the session's transcript is sealed");
        return File.ReadAllText(file!);
    }
}
