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
/// refills, turning to the culture logins ask for. Each session is unlocked with the vendor's grant to look
/// inside its host.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class WarmSessionHostTests(WarmSupportDeployment fixture) : IClassFixture<WarmSupportDeployment>
{
    private const string LookInside = """
        $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture de-DE -UICulture de-DE
        $null = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
        $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken })
        $null = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
        $inside = Invoke-Command -Session $pep {
            [pscustomobject]@{ ProcessId = $PID; Culture = (Get-Culture).Name; UICulture = (Get-UICulture).Name; Date = (Get-Date '2026-03-01').ToString('d') }
        }
        Remove-PSSession $pep
        $inside | Select-Object ProcessId, Culture, UICulture, Date | ConvertTo-Json -Compress
        """;

    private TestDeployment Deployment => fixture.Deployment;

    [Fact]
    public async Task ALogin_TakesAWarmHostOfItsCulture_WhichServesThatLoginOnly_AndThePoolRefills()
    {
        EndpointInstance instance = Deployment.Running.Single();
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds().Count == 1, "the pool holds one warm host", TimeSpan.FromSeconds(60));
        int warmEnglish = instance.WarmHostIds().Single();
        Assert.Equal("en_US.UTF-8", Locale(warmEnglish));

        // A login in another culture does not take it: a cold host serves it, and the pool turns to that culture.
        JsonElement cold = SessionTests.LastJson(await Deployment.RunClientAsync(fixture.Variables + LookInside));
        Assert.NotEqual(warmEnglish, cold.GetProperty("ProcessId").GetInt32());
        Assert.Equal("de-DE", cold.GetProperty("Culture").GetString());
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds() is [int only] && only != warmEnglish && Locale(only) == "de_DE.UTF-8",
            "the pool holds a German host instead", TimeSpan.FromSeconds(60));
        int warmGerman = instance.WarmHostIds().Single();

        // The next German login takes it, and the session inside runs in German.
        JsonElement warm = SessionTests.LastJson(await Deployment.RunClientAsync(fixture.Variables + LookInside));
        Assert.Equal(warmGerman, warm.GetProperty("ProcessId").GetInt32());
        Assert.Equal("de-DE", warm.GetProperty("Culture").GetString());
        Assert.Equal("de-DE", warm.GetProperty("UICulture").GetString());
        Assert.Equal("01.03.2026", warm.GetProperty("Date").GetString());

        // The host served one session and ended with it; the pool refilled with another.
        await EndpointInstance.WaitUntilAsync(() => !Directory.Exists($"/proc/{warmGerman}"), "the used warm host is gone");
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds() is [int next] && next != warmGerman, "the pool refilled with a new host", TimeSpan.FromSeconds(60));
        string[] started = instance.Output.Split('\n').Where(l => l.Contains("Pep.Gateway[1200]", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, started.Length);
        string warmSession = Assert.Single(started, l => l.Contains($"(host pid {warmGerman})", StringComparison.Ordinal));

        // Its transcript is that login's, under the session id the host was started for.
        Guid sessionId = Guid.Parse(warmSession.Split("Session ")[1].Split(' ')[0]);

        // The pool started the next host only once that login was over (its first command answered), not beside it:
        // starting pwsh beside a login's runspace open made the login slower (bench/README.md). A login still not over
        // 2 s after the take (a loaded machine) lets the refill go, and says so first (event 1214).
        string[] lines = instance.Output.Split('\n');
        int usable = Array.FindIndex(lines, l => l.Contains("Pep.Gateway[1371]", StringComparison.Ordinal) && l.Contains(sessionId.ToString(), StringComparison.Ordinal));
        int deferralOver = Array.FindIndex(lines, l => l.Contains("Pep.Gateway[1214]", StringComparison.Ordinal) && l.Contains(sessionId.ToString(), StringComparison.Ordinal));
        int refilled = Array.FindLastIndex(lines, l => l.Contains("Pep.Gateway[1206]", StringComparison.Ordinal));
        int loginOver = usable >= 0 && deferralOver >= 0 ? Math.Min(usable, deferralOver) : Math.Max(usable, deferralOver);
        Assert.True(usable >= 0, "the session's first answered command is logged (event 1371)");
        Assert.True(refilled > loginOver, $"the next warm host (line {refilled}) started after the login was over (line {loginOver}: 1371 at {usable}, 1214 at {deferralOver})");
        string sealedTranscript = await WaitForSealedTranscriptAsync(sessionId);
        Assert.Contains("Get-AzureStackStampInformation", sealedTranscript, StringComparison.Ordinal);
        Assert.Contains(TestDeployment.AdminUser, sealedTranscript, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Culture: de-DE", sealedTranscript, StringComparison.Ordinal);
    }

    /// <summary>The POSIX locale a process was started with.</summary>
    private static string? Locale(int pid)
        => File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("LANG=", StringComparison.Ordinal))?["LANG=".Length..];

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
