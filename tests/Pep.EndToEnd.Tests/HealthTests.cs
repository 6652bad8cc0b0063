using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>The health endpoint for load balancers, and refusing sessions that could not be transcribed.</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Health_IsHealthyWhileTranscriptsCanBeWritten_AndSessionsAreRefusedWhenTheyCannot()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();
        using HttpClient http = PinnedClient(deployment.Thumbprint);
        Uri health = new($"https://127.0.0.1:{deployment.Instances[0].Port}/health");

        using (HttpResponseMessage healthy = await http.GetAsync(health))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            JsonElement body = await healthy.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("ERCS01", body.GetProperty("instance").GetString());
            Assert.Equal("Healthy", body.GetProperty("status").GetString());
        }

        // The transcript directory stops being a directory: nothing can be recorded (root ignores file modes, so
        // this is how the test takes writing away).
        string transcripts = deployment.Layout.TranscriptDirectory("ERCS01");
        Directory.Move(transcripts, transcripts + ".moved");
        await File.WriteAllTextAsync(transcripts, "not a directory");

        using (HttpResponseMessage unhealthy = await http.GetAsync(health))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        }

        ProcessResult refused = await deployment.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -WarningAction SilentlyContinue }
            catch { $_.Exception.Message }
            """);
        Assert.Contains("cannot write transcripts", SessionTests.LastLine(refused), StringComparison.Ordinal);
        Assert.Empty(deployment.Running[0].SessionHostIds());
    }

    [Fact]
    public async Task AnInstanceKeyThatCannotBeRead_LeavesTheInstanceUp_UnhealthyAndRefusingSessionsItCouldNotSeal()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        string key = deployment.Layout.InstancePrivateKey("ERCS01");
        string intact = await File.ReadAllTextAsync(key);
        await File.WriteAllTextAsync(key, "-----BEGIN PRIVATE KEY-----\nZGFtYWdlZA==\n-----END PRIVATE KEY-----\n");

        // pep serve seals what a previous run left at its start, with this key: it must start all the same.
        await deployment.StartAllAsync();
        Assert.Contains("[1303]", deployment.Running[0].Output, StringComparison.Ordinal);
        using HttpClient http = PinnedClient(deployment.Thumbprint);
        Uri health = new($"https://127.0.0.1:{deployment.Instances[0].Port}/health");
        using (HttpResponseMessage unhealthy = await http.GetAsync(health))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            JsonElement body = await unhealthy.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("CannotSeal", body.GetProperty("transcripts").GetString());
        }

        ProcessResult refused = await deployment.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -WarningAction SilentlyContinue }
            catch { $_.Exception.Message }
            """);
        Assert.Contains("Instance ERCS01 cannot seal transcripts (its instance key cannot be read)", SessionTests.LastLine(refused), StringComparison.Ordinal);
        Assert.Empty(deployment.Running[0].SessionHostIds());

        // The key restored, the instance takes sessions again without a restart.
        await File.WriteAllTextAsync(key, intact);
        using HttpResponseMessage healthy = await http.GetAsync(health);
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
    }

    private static HttpClient PinnedClient(string thumbprint)
        => new(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.RawData)) == thumbprint,
        });
}
