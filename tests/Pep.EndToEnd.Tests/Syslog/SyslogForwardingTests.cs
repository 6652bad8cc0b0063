using System.Security.Cryptography;
using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests.Syslog;

/// <summary>
/// Set-SyslogServer and friends through the real client, and the gateway's security events received by a real
/// rsyslogd over TCP with TLS and over UDP, in the original's CEF format; a server that is down loses nothing.
/// </summary>
[Trait(Requires.Trait, Requires.Rsyslog)]
public sealed class SyslogForwardingTests(SyslogDeployment fixture) : IClassFixture<SyslogDeployment>
{
    private const string Open = "$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000\n";

    private const string Header = "CEF:0|Microsoft|Microsoft Azure Stack Hub|1.0|";

    [Fact]
    public async Task ATlsServer_ReceivesALoginAndAFailedLogin_AsCefEvents()
    {
        await using RsyslogServer rsyslog = await RsyslogServer.StartTlsAsync(fixture.Certificates, fixture.Certificates.Server("localhost"));
        string marker = Marker();

        await SetServerThenLogInTwiceAsync($"Set-SyslogServer -ServerName localhost -ServerPort {rsyslog.Port}", marker);

        string login = await rsyslog.WaitForLineAsync(Header + "1100|LoginSucceeded|5|", @"suser=AZURESTACK\\cloudadmin");
        string failed = await rsyslog.WaitForLineAsync(Header + "1101|LoginRefused|7|", marker);
        Assert.Matches(@"^<86>1 \S+ ERCS01 PrivilegedEndpoint - 1100 - ", login);
        Assert.Contains("src=127.0.0.1", login, StringComparison.Ordinal);
        Assert.Contains("dvchost=ERCS01", failed, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-" + marker, string.Join("\n", rsyslog.Received()), StringComparison.Ordinal);
        await RemoveServerAsync();
    }

    [Fact]
    public async Task AUdpServer_ReceivesALoginAndAFailedLogin_AsCefEvents()
    {
        await using RsyslogServer rsyslog = await RsyslogServer.StartUdpAsync();
        string marker = Marker();

        await SetServerThenLogInTwiceAsync($"Set-SyslogServer -ServerName 127.0.0.1 -ServerPort {rsyslog.Port} -UseUDP", marker);

        await rsyslog.WaitForLineAsync(Header + "1100|LoginSucceeded|5|", @"suser=AZURESTACK\\cloudadmin");
        await rsyslog.WaitForLineAsync(Header + "1101|LoginRefused|7|", marker);
        await RemoveServerAsync();
    }

    [Fact]
    public async Task AServerWithACertificateForAnotherName_IsRefused_UntilSkipCNCheck_ThenGetsWhatWaited()
    {
        await using RsyslogServer rsyslog = await RsyslogServer.StartTlsAsync(fixture.Certificates, fixture.Certificates.Server("other.example"));
        string marker = Marker();

        await SetServerThenLogInTwiceAsync($"Set-SyslogServer -ServerName localhost -ServerPort {rsyslog.Port}", marker);
        await EndpointInstance.WaitUntilAsync(
            () => fixture.First.Output.Contains($"cannot be delivered to localhost:{rsyslog.Port} over Tls", StringComparison.Ordinal)
                  && fixture.First.Output.Contains("RemoteCertificateNameMismatch", StringComparison.Ordinal),
            () => "the gateway to refuse the server's certificate:\n" + fixture.First.Output, TimeSpan.FromSeconds(90));
        Assert.Empty(rsyslog.Received());

        await RunAsync(Open + $"$null = Invoke-Command -Session $pep {{ Set-SyslogServer -ServerName localhost -ServerPort {rsyslog.Port} -SkipCNCheck }}\n'{{}}'");

        await rsyslog.WaitForLineAsync(Header + "1101|LoginRefused|7|", marker);
        await RemoveServerAsync();
    }

    [Fact]
    public async Task ASupportTokenRequest_AndAPasswordRecoveryToken_AreForwarded_WithTheirRequestHashes()
    {
        using SupportAuthorityDirectory authority = await SupportAuthorityDirectory.CreateAsync();
        await authority.RegisterWithAsync(fixture.Deployment);
        await using RsyslogServer rsyslog = await RsyslogServer.StartUdpAsync();

        JsonElement json = fixture.Json(await fixture.Deployment.RunClientAsync(Open + $$"""
            $null = Invoke-Command -Session $pep { Set-SyslogServer -ServerName 127.0.0.1 -ServerPort {{rsyslog.Port}} -UseUDP }
            $token = Invoke-Command -Session $pep { Get-SupportSessionToken }
            $new = ConvertTo-SecureString 'Recovery-Syslog-4d!' -AsPlainText -Force
            $recovery = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new }
            $null = Invoke-Command -Session $pep { Set-SyslogServer -Remove }
            [pscustomobject]@{ Support = $token.Length; Recovery = $recovery.Length } | ConvertTo-Json -Compress
            """));

        Assert.True(json.GetProperty("Support").GetInt32() > 100);
        Assert.True(json.GetProperty("Recovery").GetInt32() > 100);
        string requested = await rsyslog.WaitForLineAsync(Header + "1944|SupportTokenRequested|8|", @"suser=AZURESTACK\\cloudadmin");
        Assert.Matches(@"msg=Session [0-9a-f-]+: AZURESTACK\\\\cloudadmin requested a support session token \(support session [0-9a-f-]+, request [0-9a-f]{16}, expires ", requested);
        string recovery = await rsyslog.WaitForLineAsync(Header + "1940|PasswordRecoveryRequested|8|", @"suser=AZURESTACK\\cloudadmin");
        Assert.Contains(@"asked for a password recovery of AZURESTACK\\cloudadmin", recovery, StringComparison.Ordinal);
        Assert.DoesNotContain("Recovery-Syslog-4d!", string.Join("\n", rsyslog.Received()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsWhileTheServerIsStopped_WaitOnDisk_AndArriveInOrderWhenItIsBack()
    {
        await using RsyslogServer rsyslog = await RsyslogServer.StartTlsAsync(fixture.Certificates, fixture.Certificates.Server("localhost"));
        await RunAsync(Open + $"$null = Invoke-Command -Session $pep {{ Set-SyslogServer -ServerName localhost -ServerPort {rsyslog.Port} }}\n'{{}}'");
        await rsyslog.WaitForLineAsync(Header + "1201|SessionEnded|");
        string outage = $"cannot be delivered to localhost:{rsyslog.Port}";
        int before = Count(fixture.First.Output, outage);

        await rsyslog.StopAsync();
        string first = Marker();
        string second = Marker();
        await RunAsync(FailedLogin(first) + FailedLogin(second) + "'{}'");
        await EndpointInstance.WaitUntilAsync(() => Count(fixture.First.Output, outage) > before,
            () => "the gateway to find the server stopped:\n" + fixture.First.Output, TimeSpan.FromSeconds(90));
        await rsyslog.StartAsync();

        await rsyslog.WaitForLineAsync(second);
        List<string> lines = [.. rsyslog.Received()];
        int firstAt = lines.FindIndex(line => line.Contains(first, StringComparison.Ordinal));
        int secondAt = lines.FindIndex(line => line.Contains(second, StringComparison.Ordinal));
        Assert.InRange(firstAt, 0, secondAt - 1);
        await RemoveServerAsync();
    }

    [Fact]
    public async Task BadInput_ToEachCmdlet_GetsAClearError_AndChangesNothing()
    {
        JsonElement json = fixture.Json(await fixture.Deployment.RunClientAsync(Open + """
            function Id([scriptblock] $call) { try { & $call; 'ran' } catch { $_.FullyQualifiedErrorId } }
            $bad = ConvertTo-SecureString 'not-the-password' -AsPlainText -Force
            [pscustomobject]@{
                Name = Id { Invoke-Command -Session $pep { Set-SyslogServer -ServerName 'two words' } }
                Port = Id { Invoke-Command -Session $pep { Set-SyslogServer -ServerName siem -ServerPort 0 } }
                Conflict = Id { Invoke-Command -Session $pep { Set-SyslogServer -ServerName siem -UseUDP -SkipCNCheck } }
                Nothing = Id { Invoke-Command -Session $pep { Set-SyslogClient } }
                Pfx = Id { Invoke-Command -Session $pep { Set-SyslogClient -PfxBinary ([byte[]](1, 2, 3)) -CertPassword $using:bad } }
                Severity = Id { Invoke-Command -Session $pep { Set-SyslogClient -OutputSeverity Loud } }
                GetServer = Id { Invoke-Command -Session $pep { Get-SyslogServer -ServerName siem } }
                GetClient = Id { Invoke-Command -Session $pep { Get-SyslogClient -Bogus } }
                After = (Invoke-Command -Session $pep { Get-SyslogServer }).Configured
                Client = (Invoke-Command -Session $pep { Get-SyslogClient }).CertificateThumbprint
            } | ConvertTo-Json -Compress
            """));

        Assert.StartsWith("InvalidSyslogServer,", json.GetProperty("Name").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ParameterArgumentValidationError,", json.GetProperty("Port").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("SyslogOptionsConflict,", json.GetProperty("Conflict").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("SyslogClientNothingToSet,", json.GetProperty("Nothing").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("SyslogClientCertificateInvalid,", json.GetProperty("Pfx").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ParameterArgumentValidationError,", json.GetProperty("Severity").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("NamedParameterNotFound,", json.GetProperty("GetServer").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("NamedParameterNotFound,", json.GetProperty("GetClient").GetString(), StringComparison.Ordinal);
        Assert.False(json.GetProperty("After").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("Client").ValueKind);
    }

    [Fact]
    public async Task WhatOneInstanceSets_AnotherInstanceReadsAtOnce_AndThePfxPasswordIsNeverLogged()
    {
        const string password = "Pfx-pass-7f3a";
        byte[] pfx = fixture.Certificates.ClientPfx("pep-syslog-client", password, out string thumbprint);
        string pfxFile = Path.Combine(Path.GetTempPath(), "pep-syslog-client-" + Guid.NewGuid().ToString("N")[..8] + ".pfx");
        await File.WriteAllBytesAsync(pfxFile, pfx);
        try
        {
            JsonElement json = fixture.Json(await fixture.Deployment.RunClientAsync($$"""
                $one = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $two = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $pfx = [System.IO.File]::ReadAllBytes('{{pfxFile}}')
                $pw = ConvertTo-SecureString '{{password}}' -AsPlainText -Force
                $null = Invoke-Command -Session $one { Set-SyslogServer siem.contoso.local 6514 -SkipCNCheck; Set-SyslogClient -PfxBinary $using:pfx -CertPassword $using:pw -OutputSeverity Verbose }
                $server = Invoke-Command -Session $two { Get-SyslogServer }
                $client = Invoke-Command -Session $two { Get-SyslogClient }
                $null = Invoke-Command -Session $two { Set-SyslogServer -Remove; Set-SyslogClient -RemoveCertificate -OutputSeverity Default }
                $after = Invoke-Command -Session $one { Get-SyslogClient }
                [pscustomobject]@{
                    Name = $server.ServerName; Port = $server.ServerPort; Transport = $server.Transport; SkipCN = $server.SkipCNCheck
                    Severity = $client.OutputSeverity; Thumbprint = $client.CertificateThumbprint; Subject = $client.CertificateSubject
                    Removed = (Invoke-Command -Session $one { Get-SyslogServer }).Configured; AfterThumbprint = $after.CertificateThumbprint; AfterSeverity = $after.OutputSeverity
                } | ConvertTo-Json -Compress
                """));

            Assert.Equal("siem.contoso.local", json.GetProperty("Name").GetString());
            Assert.Equal(6514, json.GetProperty("Port").GetInt32());
            Assert.Equal("TLS", json.GetProperty("Transport").GetString());
            Assert.True(json.GetProperty("SkipCN").GetBoolean());
            Assert.Equal("Verbose", json.GetProperty("Severity").GetString());
            Assert.Equal(thumbprint, json.GetProperty("Thumbprint").GetString());
            Assert.Equal("CN=pep-syslog-client", json.GetProperty("Subject").GetString());
            Assert.False(json.GetProperty("Removed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, json.GetProperty("AfterThumbprint").ValueKind);
            Assert.Equal("Default", json.GetProperty("AfterSeverity").GetString());
            Assert.All(fixture.Deployment.Running, instance => Assert.DoesNotContain(password, instance.Output, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(pfxFile);
        }
    }

    private static string Marker() => "nobody" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    private static string FailedLogin(string marker) => $$"""
        $bad = [pscredential]::new('{{marker}}', (ConvertTo-SecureString 'wrong-{{marker}}' -AsPlainText -Force))
        try { $null = New-PepSession -ComputerName $computers -Credential $bad -CertificateThumbprint $thumbprint -ConnectingTimeout 180000; throw 'logged in' } catch { if ("$_" -eq 'logged in') { throw } }

        """;

    private static int Count(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Sets the server in one session, then logs in again and fails a login with <paramref name="marker"/> as the user.</summary>
    private Task SetServerThenLogInTwiceAsync(string set, string marker)
        => RunAsync(Open + $"$null = Invoke-Command -Session $pep {{ {set} }}\nRemove-PSSession $pep\n" + Open + "Remove-PSSession $pep\n" + FailedLogin(marker) + "'{}'");

    private Task RemoveServerAsync() => RunAsync(Open + "$null = Invoke-Command -Session $pep { Set-SyslogServer -Remove }\n'{}'");

    private async Task RunAsync(string script) => fixture.Json(await fixture.Deployment.RunClientAsync(script));
}
