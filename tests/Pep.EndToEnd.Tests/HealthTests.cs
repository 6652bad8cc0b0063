using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Pep.Core.Deployment;
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

        using var watch = new HostStartWatch(deployment, "ERCS01");
        ProcessResult refused = await deployment.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -WarningAction SilentlyContinue }
            catch { $_.Exception.Message }
            """);
        Assert.Contains("cannot write transcripts", SessionTests.LastLine(refused), StringComparison.Ordinal);
        Assert.Empty(await watch.HostsStartedAsync());
    }

    [Fact]
    public async Task ManyHealthRequests_WriteNothing_AndRequestsPastTheSourcesAllowanceGet429WithRetryAfter()
    {
        const int Burst = 30;
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1, config => config with
        {
            // One request per 1000 s after the burst, one write probe per hour: what happens within the test is
            // the burst and the answers past it, at any speed of the machine.
            Health = new HealthSettings { BurstPerSource = Burst, RequestsPerSecondPerSource = 0.001, TranscriptProbeSeconds = 3600 },
        });
        await deployment.StartAllAsync();
        using HttpClient http = PinnedClient(deployment.Thumbprint);
        Uri health = new($"https://127.0.0.1:{deployment.Instances[0].Port}/health");

        using (HttpResponseMessage first = await http.GetAsync(health))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Dictionary<string, DateTime> before = WriteTimes(deployment.StateDirectory);
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (int i = 1; i < Burst + 10; i++)
        {
            using HttpResponseMessage response = await http.GetAsync(health);
            statuses.Add(response.StatusCode);
            retryAfter ??= response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, Burst - 1).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10)), statuses);
        Assert.InRange(double.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 1000);
        Assert.Equal(before, WriteTimes(deployment.StateDirectory));
    }

    /// <summary>Every file and folder of the state directory with its last write time (a folder's changes when an entry is made or removed in it).</summary>
    private static Dictionary<string, DateTime> WriteTimes(string root)
        => new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Append(new DirectoryInfo(root))
            .ToDictionary(entry => entry.FullName, entry => entry.LastWriteTimeUtc);

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
