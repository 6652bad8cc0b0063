using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The operator's toolbox through the real client against two instances and a stamp of real role services: the TLS
/// policy of the endpoint's own listeners (checked with openssl clients that offer one version only), the stamp DNS's
/// server settings and conditional forwarders, and the nodes' BMC credentials.
/// </summary>
[Collection("Stamp")]
public sealed class ToolboxCommandTests(TestStamp fixture) : IClassFixture<TestStamp>
{
    private TestDeployment Deployment => fixture.Deployment;

    private const string OpenFirst = "$pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000\n";
    private const string OpenSecond = "$pep = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000\n";

    [Fact]
    public async Task SetTlsPolicy_Tls13ThroughOneInstance_RefusesClientsOfferingOnlyTls12OnEveryInstance_UntilTlsAllTakesThemBack()
    {
        Assert.True(await HandshakeAsync(1, "-tls1_2"), "Before any policy, a TLS 1.2 client must be accepted.");

        ProcessResult set = await Deployment.RunClientAsync(OpenFirst + """
            $set = Invoke-Command -Session $pep { Set-TLSPolicy TLS_1.3 }
            $bad = try { Invoke-Command -Session $pep { Set-TLSPolicy -Version TLS_1.0 } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Version = $set.Version; Protocols = @($set.Protocols); Bad = $bad } | ConvertTo-Json -Compress
            """);
        JsonElement json = fixture.Json(set);
        Assert.Equal("TLS_1.3", json.GetProperty("Version").GetString());
        Assert.Equal(["TLS 1.3"], json.GetProperty("Protocols").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("ParameterArgumentValidationError", json.GetProperty("Bad").GetString(), StringComparison.Ordinal);

        // The instance that set it refuses at once; the other once it has read the shared setting (every 2 s).
        Assert.False(await HandshakeAsync(0, "-tls1_2"), "The instance that set TLS_1.3 still accepted TLS 1.2.");
        Assert.True(await EventuallyAsync(async () => !await HandshakeAsync(1, "-tls1_2")), "The other instance still accepts TLS 1.2.\n" + fixture.Diagnostics);
        Assert.True(await HandshakeAsync(1, "-tls1_3"), "The other instance refused TLS 1.3.");

        ProcessResult read = await Deployment.RunClientAsync(OpenSecond + """
            $get = Invoke-Command -Session $pep { Get-TLSPolicy }
            $back = Invoke-Command -Session $pep { Set-TLSPolicy -Version TLS_All }
            [pscustomobject]@{ Get = $get.Version; Back = @($back.Protocols) } | ConvertTo-Json -Compress
            """);
        JsonElement second = fixture.Json(read);
        Assert.Equal("TLS_1.3", second.GetProperty("Get").GetString());
        Assert.Equal(["TLS 1.2", "TLS 1.3"], second.GetProperty("Back").EnumerateArray().Select(e => e.GetString()));
        Assert.True(await EventuallyAsync(() => HandshakeAsync(0, "-tls1_2")), "TLS_All set through the other instance did not reach the first.");
    }

    [Fact]
    public async Task DnsServerSettings_RootHintsAndACustomZone_AreWrittenForTheDnsRole_AndReadOnTheOtherInstance()
    {
        ProcessResult result = await Deployment.RunClientAsync(OpenFirst + """
            $hints = Invoke-Command -Session $pep { Set-AzSDnsServerSettings -UseRootHint $false }
            $zone = Invoke-Command -Session $pep { Register-CustomDnsServer contoso.com 10.20.20.1, 10.20.20.2 -TimeoutInSecs 100 }
            function Id([scriptblock] $call) { try { & $call; 'ran' } catch { $_.FullyQualifiedErrorId } }
            $badZone = Id { Invoke-Command -Session $pep { Register-CustomDnsServer -CustomDomainName 'not a zone' -CustomDnsIPAddresses 10.0.0.1 } -ErrorAction Stop }
            $badServer = Id { Invoke-Command -Session $pep { Register-CustomDnsServer -CustomDomainName fabrikam.com -CustomDnsIPAddresses 224.0.0.1 } -ErrorAction Stop }
            $whatIf = Invoke-Command -Session $pep { Register-CustomDnsServer fabrikam.com 10.30.30.1 -WhatIf }
            $pep2 = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $other = Invoke-Command -Session $pep2 { Get-AzSDnsServerSettings }
            [pscustomobject]@{ Hints = $hints.UseRootHint; Zones = @($zone.ConditionalForwarders); OtherHints = $other.UseRootHint; OtherZones = @($other.ConditionalForwarders);
                BadZone = $badZone; BadServer = $badServer } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.False(json.GetProperty("Hints").GetBoolean());
        Assert.Equal(["contoso.com 10.20.20.1 10.20.20.2"], json.GetProperty("Zones").EnumerateArray().Select(e => e.GetString()));
        Assert.False(json.GetProperty("OtherHints").GetBoolean());
        Assert.Equal(["contoso.com 10.20.20.1 10.20.20.2"], json.GetProperty("OtherZones").EnumerateArray().Select(e => e.GetString()));
        Assert.StartsWith("InvalidCustomDomainName,", json.GetProperty("BadZone").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCustomDnsIPAddress,", json.GetProperty("BadServer").GetString(), StringComparison.Ordinal);
        string dnsLog = Path.Combine(fixture.Manifest.FindRole("DNS")!.Logs[0].Path, "DNS.log");
        Assert.True(await StampCommandTests.Eventually(() => File.ReadAllText(dnsLog).Contains("use-root-hints no forward-zone contoso.com 10.20.20.1 10.20.20.2", StringComparison.Ordinal)),
            "The DNS role did not reload the server settings.");
    }

    [Fact]
    public async Task RegisterCustomDnsServer_WhenTheDnsRoleCannotReload_FailsAndPutsThePreviousSettingsBack()
    {
        StampRole dns = fixture.Manifest.FindRole("DNS")!;
        string file = fixture.Manifest.Dns!.ServerSettingsFile!;
        CommandOutcome stopped = await CommandRunner.RunAsync(dns.Stop!.Argv, TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.True(stopped.Succeeded, stopped.Output);
        try
        {
            ProcessResult result = await Deployment.RunClientAsync(OpenFirst + """
                $failed = try { Invoke-Command -Session $pep { Register-CustomDnsServer fabrikam.com 10.30.30.1 } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
                $now = Invoke-Command -Session $pep { Get-AzSDnsServerSettings }
                [pscustomobject]@{ Failed = $failed; Zones = @($now.ConditionalForwarders) } | ConvertTo-Json -Compress
                """);
            JsonElement json = fixture.Json(result);
            Assert.StartsWith("DnsReloadFailed,", json.GetProperty("Failed").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain(json.GetProperty("Zones").EnumerateArray(), e => e.GetString()!.StartsWith("fabrikam.com", StringComparison.Ordinal));
            Assert.DoesNotContain("fabrikam", File.Exists(file) ? await File.ReadAllTextAsync(file) : string.Empty, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.StartRolesAsync();
        }
    }

    [Fact]
    public async Task SetBmcCredential_ChangesEveryNodesBmcInOrder_BypassChangesOnlyTheStoredCopy_AndAFailingNodeStopsTheRest()
    {
        string folder = Path.GetDirectoryName(fixture.Manifest.Dns!.ForwardersFile)!.Replace("/dns", "/bmc", StringComparison.Ordinal);
        ProcessResult result = await Deployment.RunClientAsync(OpenFirst + """
            $p = ConvertTo-SecureString 'Bmc-Secret-1' -AsPlainText -Force
            $q = ConvertTo-SecureString 'Bmc-Secret-2' -AsPlainText -Force
            $set = Invoke-Command -Session $pep { Set-BmcCredential -BmcPassword $using:p -BmcUser admin }
            $bypass = Invoke-Command -Session $pep { Set-BmcCredential $using:q -BypassBMCUpdate -Confirm:$false }
            $badUser = try { Invoke-Command -Session $pep { Set-BmcCredential $using:p -BmcUser 'a b' -Confirm:$false } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Nodes = @($set.Nodes); User = $set.BmcUser; Bypassed = $bypass.BypassedBmcUpdate; BadUser = $badUser } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        Assert.Equal([DemoStamp.NodeA, DemoStamp.NodeB], json.GetProperty("Nodes").EnumerateArray().Select(e => e.GetString()));
        Assert.True(json.GetProperty("Bypassed").GetBoolean());
        Assert.StartsWith("ParameterArgumentValidationError", json.GetProperty("BadUser").GetString(), StringComparison.Ordinal);
        foreach (string node in new[] { DemoStamp.NodeA, DemoStamp.NodeB })
        {
            Assert.Equal($"admin\n{Sha256("Bmc-Secret-1")}\n", await File.ReadAllTextAsync(Path.Combine(folder, node + ".bmc")));
            Assert.Equal($"admin\n{Sha256("Bmc-Secret-2")}\n", await File.ReadAllTextAsync(Path.Combine(folder, node + ".stored")));
        }

        // NodeB's BMC command cannot be run: NodeA is changed, the error says so, NodeB keeps its credential.
        StampManifest broken = fixture.Manifest with
        {
            Nodes = [.. fixture.Manifest.Nodes.Select(n => n.Name != DemoStamp.NodeB ? n : n with
            {
                Bmc = n.Bmc! with { Update = n.Bmc.Update with { Argv = ["/nonexistent/bmc-tool", .. n.Bmc.Update.Argv.Skip(1)] } },
            })],
        };
        broken.Save(Deployment.Layout.StampManifest);
        try
        {
            ProcessResult failed = await Deployment.RunClientAsync(OpenFirst + """
                $p = ConvertTo-SecureString 'Bmc-Secret-3' -AsPlainText -Force
                $e = try { Invoke-Command -Session $pep { Set-BmcCredential $using:p -Confirm:$false } -ErrorAction Stop; 'ran' } catch { $_ }
                [pscustomobject]@{ Id = "$($e.FullyQualifiedErrorId)"; Message = "$e"; Target = "$($e.TargetObject)" } | ConvertTo-Json -Compress
                """);
            JsonElement error = fixture.Json(failed);
            Assert.StartsWith("BmcCredentialUpdateFailed,", error.GetProperty("Id").GetString(), StringComparison.Ordinal);
            Assert.Contains($"Changed before it: {DemoStamp.NodeA}.", error.GetProperty("Message").GetString(), StringComparison.Ordinal);
            Assert.Equal(DemoStamp.NodeB, error.GetProperty("Target").GetString());
            Assert.Equal($"admin\n{Sha256("Bmc-Secret-3")}\n", await File.ReadAllTextAsync(Path.Combine(folder, DemoStamp.NodeA + ".bmc")));
            Assert.Equal($"admin\n{Sha256("Bmc-Secret-1")}\n", await File.ReadAllTextAsync(Path.Combine(folder, DemoStamp.NodeB + ".bmc")));
        }
        finally
        {
            fixture.Manifest.Save(Deployment.Layout.StampManifest);
        }

        string logs = fixture.Diagnostics + string.Concat(StateFiles.RegularFiles(Deployment.StateDirectory)
            .Where(f => !f.Path.Contains("/bmc/", StringComparison.Ordinal)).Select(f => f.Text));
        Assert.DoesNotContain("Bmc-Secret-", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAzureStackSupportConfiguration_ShowsNothingUnregistered_TheRegisteredAuthorityOnEveryInstance_AndRefusesAnUnreadableOne()
    {
        string registered = Deployment.Layout.SupportAuthorityBundle;
        Assert.False(File.Exists(registered), "The test stamp must start without a support authority.");
        using SupportAuthorityDirectory authority = await SupportAuthorityDirectory.CreateAsync();
        try
        {
            ProcessResult before = await Deployment.RunClientAsync(OpenFirst + """
                $none = @(Invoke-Command -Session $pep { Get-AzureStackSupportConfiguration } 6>$null)
                [pscustomobject]@{ None = $none.Count } | ConvertTo-Json -Compress
                """);
            Assert.Equal(0, fixture.Json(before).GetProperty("None").GetInt32());

            await authority.RegisterWithAsync(Deployment);
            using JsonDocument bundle = JsonDocument.Parse(await File.ReadAllTextAsync(authority.PublicBundle));
            ProcessResult after = await Deployment.RunClientAsync(OpenSecond + """
                $config = Invoke-Command -Session $pep { Get-AzureStackSupportConfiguration }
                [pscustomobject]@{ KeyId = $config.AuthorityKeyId; Signing = $config.SigningKeySha256; Instance = $config.Instance; MaxElevation = $config.MaxElevation.TotalHours } | ConvertTo-Json -Compress
                """);
            JsonElement json = fixture.Json(after);
            Assert.Equal(bundle.RootElement.GetProperty("keyId").GetString(), json.GetProperty("KeyId").GetString());
            using (var signing = RSA.Create())
            {
                signing.ImportFromPem(bundle.RootElement.GetProperty("signingKey").GetString());
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(signing.ExportSubjectPublicKeyInfo())), json.GetProperty("Signing").GetString());
            }

            Assert.Equal(Deployment.Instances[1].Name, json.GetProperty("Instance").GetString());
            Assert.Equal(8, json.GetProperty("MaxElevation").GetDouble());

            await File.WriteAllTextAsync(registered, "{ not a bundle");
            ProcessResult damaged = await Deployment.RunClientAsync(OpenFirst + """
                $bad = try { Invoke-Command -Session $pep { Get-AzureStackSupportConfiguration } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
                [pscustomobject]@{ Bad = $bad } | ConvertTo-Json -Compress
                """);
            Assert.StartsWith("SupportAuthorityUnreadable,", fixture.Json(damaged).GetProperty("Bad").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(registered);
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A real TLS client offering one version only (<paramref name="version"/>: -tls1_2 or -tls1_3): true when the instance completed the handshake.</summary>
    private async Task<bool> HandshakeAsync(int instance, string version)
    {
        var config = Deployment.Instances[instance];
        ProcessResult result = await ProcessRunner.RunAsync("openssl", ["s_client", "-connect", $"{config.Address}:{config.Port}", version, "-brief"],
            standardInput: string.Empty, timeout: TimeSpan.FromSeconds(30));
        return result.ExitCode == 0;
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 20)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
