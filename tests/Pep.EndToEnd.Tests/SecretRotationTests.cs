using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Pep.Core.Certificates;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;
using Pep.Core.Stamp.Manifest;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Start-SecretRotation through the real client against the demo stamp: the endpoint's TLS certificate
/// rotated under running gateways, external certificates imported from a real Samba share, a failed rotation
/// finished with -ReRun. Each test reads the thumbprint to pin from deployment.json, since another may have rotated it.
/// </summary>
[Collection("Stamp")]
[Trait(Requires.Trait, Requires.Samba)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class SecretRotationTests(TestStamp fixture, SambaServer samba) : IClassFixture<TestStamp>, IClassFixture<SambaServer>
{
    private const string PfxPassword = "Pfx-Pass-0815";

    private StateLayout Layout => fixture.Deployment.Layout;

    private string CurrentThumbprint => DeploymentConfig.Load(Layout.ConfigFile).TlsCertificateThumbprint!;

    private Task<ProcessResult> RunClientAsync(string script)
        => PwshClient.RunAsync(PwshClient.Prelude(TestDeployment.AdminUser, fixture.Deployment.ComputerNames, CurrentThumbprint) + """
            function Id([scriptblock] $call) { try { & $call | Out-Null; 'ran' } catch { $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message } }

            """ + script, fixture.Deployment.AdminPassword);

    [Fact]
    public async Task Internal_WithoutAConfirmationPrompt_NewConnectionsGetTheNewCertificate_TheOldPinIsRefused_OpenSessionsStay()
    {
        string old = CurrentThumbprint;
        ProcessResult result = await RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $rotated = @(Invoke-Command -Session $pep { Start-SecretRotation -Internal } -WarningVariable warnings 3>$null 6>$null)
            $new = ($rotated | Where-Object Name -eq 'PrivilegedEndpoint').Thumbprint
            $stillOpen = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).RegionName
            $oldPin = Id { New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 60000 }
            $second = New-PepSession -ComputerName $computers[1] -Credential $cred -CertificateThumbprint $new -ConnectingTimeout 180000
            $viaNewPin = (Invoke-Command -Session $second { Get-AzureStackStampInformation }).RegionName
            [pscustomobject]@{
                New = $new; Names = @($rotated | ForEach-Object Name); Kinds = @($rotated | ForEach-Object Kind)
                Warning = "$warnings"; StillOpen = $stillOpen; OldPin = $oldPin; ViaNewPin = $viaNewPin
            } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(result);
        string rotated = json.GetProperty("New").GetString()!;
        Assert.NotEqual(old, rotated);
        Assert.Equal(["PrivilegedEndpoint", "portal-internal"], json.GetProperty("Names").EnumerateArray().Select(e => e.GetString()));
        Assert.All(json.GetProperty("Kinds").EnumerateArray(), k => Assert.Equal("Internal", k.GetString()));
        using (X509Certificate2 installed = TlsCertificate.LoadPfx(Layout.TlsCertificatePfx))
        {
            Assert.Equal(rotated, TlsCertificate.Sha256Thumbprint(installed));
        }

        Assert.Equal(rotated, CurrentThumbprint);
        Assert.Contains(rotated, json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
        Assert.Contains("must pin", json.GetProperty("Warning").GetString(), StringComparison.Ordinal);
        Assert.Equal("local", json.GetProperty("StillOpen").GetString());
        Assert.StartsWith("UntrustedCertificate,", json.GetProperty("OldPin").GetString(), StringComparison.Ordinal);
        Assert.Contains(rotated, json.GetProperty("OldPin").GetString(), StringComparison.Ordinal);
        Assert.Equal("local", json.GetProperty("ViaNewPin").GetString());
        Assert.Equal(RotationStatus.Completed, SecretRotationState.Load(Layout)!.Status);
    }

    [Fact]
    public async Task WhatIf_ChangesNothing()
    {
        byte[] before = await File.ReadAllBytesAsync(Layout.TlsCertificatePfx);
        string? stateBefore = File.Exists(Layout.SecretRotationState) ? await File.ReadAllTextAsync(Layout.SecretRotationState) : null;
        string folder = Directory.CreateDirectory(Path.Combine(fixture.OutputRoot, "pfx-whatif")).FullName;
        WriteGoodPfxFiles(folder);

        ProcessResult result = await RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $password = ConvertTo-SecureString '{{PfxPassword}}' -AsPlainText -Force
            $internal = @(Invoke-Command -Session $pep { Start-SecretRotation -Internal -WhatIf })
            $external = @(Invoke-Command -Session $pep { Start-SecretRotation -PfxFilesPath '{{folder}}' -CertificatePassword $using:password -WhatIf })
            [pscustomobject]@{ Output = $internal.Count + $external.Count } | ConvertTo-Json -Compress
            """);

        Assert.Equal(0, fixture.Json(result).GetProperty("Output").GetInt32());
        Assert.Equal(before, await File.ReadAllBytesAsync(Layout.TlsCertificatePfx));
        Assert.Equal(stateBefore, File.Exists(Layout.SecretRotationState) ? await File.ReadAllTextAsync(Layout.SecretRotationState) : null);
        Assert.False(File.Exists(Certificate("portal").Path));
    }

    [Fact]
    public async Task External_FromASambaShare_WrongPasswordAndUnreachableShareChangeNothing_ReRunImports()
    {
        string folder = Directory.CreateDirectory(samba.FolderOnDisk("certs")).FullName;
        Dictionary<string, string> expected = WriteGoodPfxFiles(folder);
        Dictionary<string, string?> installedBefore = Installed();
        string shareScript = $$"""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $shareCred = [pscredential]::new('WORKGROUP\{{samba.User}}', (ConvertTo-SecureString '{{samba.Password}}' -AsPlainText -Force))
            $good = ConvertTo-SecureString '{{PfxPassword}}' -AsPlainText -Force
            $bad = ConvertTo-SecureString 'Not-The-Pfx-Pass-1' -AsPlainText -Force
            $share = '{{samba.UncWithPort("certs")}}'
            $closed = '\\127.0.0.1:{{TestDeployment.FreePort()}}\{{SambaServer.ShareName}}\certs'

            """;

        ProcessResult failures = await RunClientAsync(shareScript + """
            $wrong = Id { Invoke-Command -Session $pep { Start-SecretRotation -PfxFilesPath $using:share -PathAccessCredential $using:shareCred -CertificatePassword $using:bad -Confirm:$false } -ErrorAction Stop }
            $unreachable = Id { Invoke-Command -Session $pep { Start-SecretRotation -PfxFilesPath $using:closed -PathAccessCredential $using:shareCred -CertificatePassword $using:good -Confirm:$false } -ErrorAction Stop }
            [pscustomobject]@{ Wrong = $wrong; Unreachable = $unreachable } | ConvertTo-Json -Compress
            """);

        JsonElement json = fixture.Json(failures);
        Assert.StartsWith("CertificatePasswordIncorrect,", json.GetProperty("Wrong").GetString(), StringComparison.Ordinal);
        Assert.Contains("does not open adminportal.pfx", json.GetProperty("Wrong").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ShareUnreachable,", json.GetProperty("Unreachable").GetString(), StringComparison.Ordinal);
        Assert.Equal(installedBefore, Installed());
        SecretRotationState failed = SecretRotationState.Load(Layout)!;
        Assert.Equal((RotationStatus.Failed, "Fetch", false), (failed.Status, failed.FailedStep, failed.ChangedSomething));

        ProcessResult rerun = await RunClientAsync(shareScript + """
            $imported = @(Invoke-Command -Session $pep { Start-SecretRotation -ReRun -PfxFilesPath $using:share -PathAccessCredential $using:shareCred -CertificatePassword $using:good -Confirm:$false } 6>$null)
            [pscustomobject]@{ Imported = @($imported | ForEach-Object { "$($_.Name)=$($_.Thumbprint)" }) } | ConvertTo-Json -Compress
            """);

        string[] imported = [.. fixture.Json(rerun).GetProperty("Imported").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(expected.Select(p => $"{p.Key}={p.Value}").Order(), imported.Order());
        Assert.Equal(expected, Installed().ToDictionary(p => p.Key, p => p.Value!));
        Assert.Equal(RotationStatus.Completed, SecretRotationState.Load(Layout)!.Status);
        await AssertPortalServesAsync(await File.ReadAllTextAsync(Certificate("portal").PemPath));
        AssertNoSecretsRecorded(PfxPassword, "Not-The-Pfx-Pass-1", samba.Password);
    }

    [Fact]
    public async Task AFailureAfterCertificatesWereReplaced_BlocksNewRotations_AndReRunFinishesIt()
    {
        string folder = Directory.CreateDirectory(Path.Combine(fixture.OutputRoot, "pfx-rerun")).FullName;
        Dictionary<string, string> expected = WriteGoodPfxFiles(folder);
        StampRole portal = fixture.Manifest.FindRole("Portal")!;
        Assert.True((await CommandRunner.RunAsync(portal.Stop!.Argv, TimeSpan.FromSeconds(60), CancellationToken.None)).Succeeded);
        try
        {
            ProcessResult failing = await RunClientAsync($$"""
                $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
                $password = ConvertTo-SecureString '{{PfxPassword}}' -AsPlainText -Force
                $reload = Id { Invoke-Command -Session $pep { Start-SecretRotation -PfxFilesPath '{{folder}}' -CertificatePassword $using:password -Confirm:$false } -ErrorAction Stop }
                $blocked = Id { Invoke-Command -Session $pep { Start-SecretRotation -Internal -Confirm:$false } -ErrorAction Stop }
                [pscustomobject]@{ Reload = $reload; Blocked = $blocked } | ConvertTo-Json -Compress
                """);

            JsonElement json = fixture.Json(failing);
            Assert.StartsWith("RoleReloadFailed,", json.GetProperty("Reload").GetString(), StringComparison.Ordinal);
            Assert.StartsWith("SecretRotationPending,", json.GetProperty("Blocked").GetString(), StringComparison.Ordinal);
            Assert.Equal(expected, Installed().ToDictionary(p => p.Key, p => p.Value!));
            SecretRotationState failed = SecretRotationState.Load(Layout)!;
            Assert.Equal((RotationStatus.Failed, "Reload:Portal", true), (failed.Status, failed.FailedStep, failed.ChangedSomething));
        }
        finally
        {
            await fixture.StartRolesAsync();
        }

        ProcessResult rerun = await RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $done = @(Invoke-Command -Session $pep { Start-SecretRotation -ReRun -Confirm:$false } 6>$null)
            $nothingLeft = Id { Invoke-Command -Session $pep { Start-SecretRotation -ReRun -Confirm:$false } -ErrorAction Stop }
            [pscustomobject]@{ Done = @($done | ForEach-Object Name); NothingLeft = $nothingLeft } | ConvertTo-Json -Compress
            """);

        JsonElement done = fixture.Json(rerun);
        Assert.Equal(["adminportal", "portal"], done.GetProperty("Done").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.StartsWith("NoSecretRotationToResume,", done.GetProperty("NothingLeft").GetString(), StringComparison.Ordinal);
        Assert.Equal(RotationStatus.Completed, SecretRotationState.Load(Layout)!.Status);
        Assert.Equal(expected, Installed().ToDictionary(p => p.Key, p => p.Value!));
        await AssertPortalServesAsync(await File.ReadAllTextAsync(Certificate("portal").PemPath));
    }

    private StampCertificate Certificate(string name) => fixture.Manifest.Certificates.Single(c => c.Name == name);

    /// <summary>New certificates, as an operator's CA would issue them, one per external certificate of the demo stamp; name → thumbprint.</summary>
    private Dictionary<string, string> WriteGoodPfxFiles(string folder)
    {
        var thumbprints = new Dictionary<string, string>();
        foreach (StampCertificate certificate in fixture.Manifest.Certificates.Where(c => c.Kind == CertificateKind.External))
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + certificate.SubjectNames[0], key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(certificate.SubjectNames[0]);
            request.CertificateExtensions.Add(san.Build());
            using X509Certificate2 issued = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(Path.Combine(folder, certificate.Name + ".pfx"), issued.Export(X509ContentType.Pkcs12, PfxPassword));
            thumbprints[certificate.Name] = TlsCertificate.Sha256Thumbprint(issued);
        }

        return thumbprints;
    }

    /// <summary>The thumbprint installed for each external certificate (null: none yet).</summary>
    private Dictionary<string, string?> Installed()
        => fixture.Manifest.Certificates.Where(c => c.Kind == CertificateKind.External).ToDictionary(c => c.Name, c =>
        {
            using X509Certificate2? installed = CertificateFiles.ReadInstalled(c);
            return installed is null ? null : TlsCertificate.Sha256Thumbprint(installed);
        });

    /// <summary>The Portal role re-reads its configuration (the portal certificate's PEM) on reload and serves it on /config.</summary>
    private async Task AssertPortalServesAsync(string pem)
    {
        string url = fixture.Manifest.FindRole("Portal")!.HealthTests.First(t => t.Kind == HealthTestKind.Http).Url!.Replace("/health", "/config", StringComparison.Ordinal);
        using var http = new HttpClient();
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        string served = string.Empty;
        while (DateTime.UtcNow < deadline)
        {
            served = await http.GetStringAsync(new Uri(url));
            if (served == pem)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Equal(pem, served);
    }

    private void AssertNoSecretsRecorded(params string[] secrets)
    {
        // Sockets and FIFOs (broker sockets, session hosts' debugger pipes) have no text and are skipped. Lock files are
        // empty, and the gateway may hold one (it seals a session as this runs).
        foreach ((string file, string text) in StateFiles.RegularFiles(Layout.Root)
                     .Where(f => !f.Path.EndsWith(".pfx", StringComparison.Ordinal) && !f.Path.EndsWith(".db", StringComparison.Ordinal) && !f.Path.EndsWith(".lock", StringComparison.Ordinal)))
        {
            foreach (string secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{file} holds a secret");
            }
        }
    }
}
