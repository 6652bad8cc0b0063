using System.Net;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// <c>New-PepSession -UICulture</c>, end to end: the session's UI culture (messages, help) is the one its login
/// asked for, apart from its culture (formatting), in a warm host (started before the login, for the cultures
/// logins ask for) and in a cold one (started for the login); the sealed transcript's header names it; an unknown one
/// is refused. Each session is unlocked with the vendor's grant to look inside its host.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class SessionUICultureTests(WarmSupportDeployment warmFixture, SupportDeployment coldFixture)
    : IClassFixture<WarmSupportDeployment>, IClassFixture<SupportDeployment>
{
    [Fact]
    public async Task AWarmHost_IsStartedInTheUICultureLoginsAskFor_AndRunsTheSessionInIt_BesideItsCulture()
    {
        EndpointInstance instance = warmFixture.Deployment.Running.Single();
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds().Count == 1, "the pool holds one warm host", TimeSpan.FromSeconds(60));
        int englishHost = instance.WarmHostIds().Single();
        Assert.Equal("en-US", HostUICulture(englishHost));

        // The pool's host is in en-US throughout: a login asking for a German UI culture gets a cold host, and the pool turns to it.
        JsonElement first = SessionTests.LastJson(await warmFixture.Deployment.RunClientAsync(warmFixture.Variables + LookInside($"uiculture-turn-{Guid.NewGuid():N}")));
        Assert.NotEqual(englishHost, first.GetProperty("ProcessId").GetInt32());
        Assert.Equal("de-DE", first.GetProperty("UICulture").GetString());
        await EndpointInstance.WaitUntilAsync(() => instance.WarmHostIds() is [int only] && only != englishHost && HostUICulture(only) == "de-DE",
            "the pool holds a host in the German UI culture instead", TimeSpan.FromSeconds(60));
        int warmHost = instance.WarmHostIds().Single();

        // The next such login takes it.
        string marker = $"uiculture-warm-{Guid.NewGuid():N}";
        JsonElement inside = SessionTests.LastJson(await warmFixture.Deployment.RunClientAsync(warmFixture.Variables + LookInside(marker)));

        Assert.Equal(warmHost, inside.GetProperty("ProcessId").GetInt32());
        Assert.Equal("en-US", inside.GetProperty("Culture").GetString());
        Assert.Equal("de-DE", inside.GetProperty("UICulture").GetString());
        AssertHeaderNames(await warmFixture.SealedTranscriptAsync(marker));
    }

    [Fact]
    public async Task AColdHost_RunsTheSessionInTheUICultureItsLoginAsked_BesideItsCulture()
    {
        string marker = $"uiculture-cold-{Guid.NewGuid():N}";
        JsonElement inside = SessionTests.LastJson(await coldFixture.Deployment.RunClientAsync(coldFixture.Variables + LookInside(marker)));

        Assert.Equal("en-US", inside.GetProperty("Culture").GetString());
        Assert.Equal("de-DE", inside.GetProperty("UICulture").GetString());
        AssertHeaderNames(await coldFixture.SealedTranscriptAsync(marker));
    }

    [Fact]
    public async Task AnUnknownUICulture_IsRefusedByTheClient_AndByTheGatewayAsABadRequest()
    {
        TestDeployment deployment = coldFixture.Deployment;
        string refusal = SessionTests.LastLine(await deployment.RunClientAsync("""
            try { $null = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -UICulture xx-NOPE; 'accepted' }
            catch { $_.FullyQualifiedErrorId.Split(',')[0] }
            """));
        Assert.Equal("InvalidCulture", refusal);

        // A client that skips its own check (or is not this client) meets the gateway's: the same login, UI culture aside.
        Task<(HttpStatusCode Status, string? Failure)> Login(string uiCulture)
            => RawLogin.AttemptAsync("127.0.0.1", deployment.Instances[0].Port, deployment.Thumbprint, TestDeployment.AdminUser, deployment.AdminPassword,
                query: $"?culture=en-US&uiCulture={uiCulture}");
        Assert.Equal((HttpStatusCode.BadRequest, "BadRequest"), await Login("xx-NOPE"));
        Assert.Equal((HttpStatusCode.BadRequest, "BadRequest"), await Login("de_DE.UTF-8"));
        Assert.Equal((HttpStatusCode.SwitchingProtocols, null), await Login("de-DE"));
    }

    /// <summary>A session in culture en-US and UI culture de-DE, unlocked, reports its host's process and cultures; the marker goes into its transcript.</summary>
    private static string LookInside(string marker) => $$"""
        $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US -UICulture de-DE
        $null = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
        $response = Grant (Invoke-Command -Session $pep { Get-SupportSessionToken })
        $null = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
        $inside = Invoke-Command -Session $pep {
            [pscustomobject]@{ Marker = '{{marker}}'; ProcessId = $PID; Culture = [cultureinfo]::CurrentCulture.Name; UICulture = [cultureinfo]::CurrentUICulture.Name }
        }
        Remove-PSSession $pep
        $inside | Select-Object ProcessId, Culture, UICulture | ConvertTo-Json -Compress
        """;

    /// <summary>The UI culture a host was started for, from the environment it was started with.</summary>
    private static string? HostUICulture(int pid)
        => File.ReadAllText($"/proc/{pid}/environ").Split('\0').FirstOrDefault(v => v.StartsWith("PEP_HOST_UI_CULTURE=", StringComparison.Ordinal))?["PEP_HOST_UI_CULTURE=".Length..];

    private static void AssertHeaderNames(string sealedTranscript)
    {
        string[] header = sealedTranscript.Split('\n').TakeWhile(line => !line.StartsWith("End reason: ", StringComparison.Ordinal)).ToArray();
        Assert.Contains("Culture: en-US", header);
        Assert.Contains("UI culture: de-DE", header);
    }
}
