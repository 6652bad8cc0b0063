using System.Net;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Hosts;

/// <summary>
/// Every etcd member stops: instances refuse new logins with a clear message (they cannot check accounts or
/// lockouts), keep the sessions already open, say so on /health, and recover by themselves when etcd returns.
/// </summary>
[Collection(ThreeHosts.Name)]
[Trait(Requires.Trait, Requires.Root)]
[Trait(Requires.Trait, Requires.NetworkNamespaces)]
[Trait(Requires.Trait, Requires.Etcd)]
public sealed class EtcdOutageTests(ThreeHostCluster cluster) : IClassFixture<ThreeHostCluster>
{
    [Fact]
    public async Task AllEtcdStopped_RefusesNewLogins_KeepsOpenSessions_ThenRecovers()
    {
        string opened = Path.Combine(Path.GetTempPath(), $"pep-test-opened-{Guid.NewGuid():N}");
        string proceed = opened + ".go";
        try
        {
            // The client opens a session on ERCS01, then waits (bounded) until the test has stopped etcd.
            Task<ProcessResult> client = cluster.RunClientAsync($$"""
                $open = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
                Set-Content -LiteralPath '{{opened}}' -Value 'open'
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while (-not (Test-Path -LiteralPath '{{proceed}}') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
                $still = (Invoke-Command -Session $open { Get-AzureStackStampInformation }).CurrentInstance
                $refusal = try { New-PepSession -ComputerName {{cluster.ComputerNames(2)}} -Credential $cred -CertificateThumbprint $thumbprint -ErrorAction Stop | Out-Null; 'opened' } catch { $_.Exception.Message }
                [pscustomobject]@{ Still = $still; Refusal = $refusal } | ConvertTo-Json -Compress
                """, cluster.ComputerNames(1));

            await WaitForFileAsync(opened, client);
            await cluster.StopAllEtcdAsync();
            (HttpStatusCode status, JsonElement health) = await cluster.HealthAsync(2);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unreachable", health.GetProperty("store").GetString());
            await File.WriteAllTextAsync(proceed, "go");

            JsonElement json = SessionTests.LastJson(await client);
            Assert.Equal("ERCS01", json.GetProperty("Still").GetString());
            string refusal = json.GetProperty("Refusal").GetString()!;
            Assert.Contains("cannot reach the account store", refusal, StringComparison.Ordinal);
            Assert.Contains("Sessions already open are not affected", refusal, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(opened);
            File.Delete(proceed);
        }

        await cluster.StartAllEtcdAsync();
        for (int host = 1; host <= 3; host++)
        {
            await cluster.WaitForStoreAsync(host, "Reachable", TimeSpan.FromSeconds(30));
        }

        ProcessResult after = await cluster.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            """, cluster.ComputerNames(2));
        Assert.Equal("ERCS02", SessionTests.LastLine(after));
    }

    private static async Task WaitForFileAsync(string path, Task<ProcessResult> client)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!File.Exists(path))
        {
            if (client.IsCompleted)
            {
                Assert.Fail($"The client ended before it opened its session:\n{await client}");
            }

            Assert.True(DateTime.UtcNow < deadline, "The client did not open its session within 60 s.");
            await Task.Delay(100);
        }
    }
}
