using System.IO.Compression;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Get-AzureStackLog -OutputSharePath against a real Samba server on loopback.</summary>
[Collection("Stamp")]
[Trait(Requires.Trait, Requires.Samba)]
[Trait(Requires.Trait, Requires.Root)]
public sealed class LogShareTests(TestStamp fixture, SambaServer samba) : IClassFixture<TestStamp>, IClassFixture<SambaServer>
{
    [Fact]
    public async Task GetAzureStackLog_ToAShare_PutsTheArchivesThere_AndRefusesBadShares()
    {
        int closedPort = TestDeployment.FreePort();
        // The DNS role's log only grows: what it holds now must all be in the archive made after this.
        string source = Path.Combine(fixture.Manifest.FindRole("DNS")!.Logs[0].Path, "DNS.log");
        byte[] before = await File.ReadAllBytesAsync(source);
        Assert.NotEmpty(before);

        ProcessResult result = await fixture.Deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $shareCred = [pscredential]::new('WORKGROUP\{{samba.User}}', (ConvertTo-SecureString '{{samba.Password}}' -AsPlainText -Force))
            $wrongCred = [pscredential]::new('WORKGROUP\{{samba.User}}', (ConvertTo-SecureString 'Not-The-Password-1' -AsPlainText -Force))
            $share = '{{samba.UncWithPort("pep")}}'
            $copied = Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole DNS -OutputSharePath $using:share -OutputShareCredential $using:shareCred } 6>$null
            function Id([scriptblock] $call) { try { & $call; 'ran' } catch { $_.FullyQualifiedErrorId } }
            $denied = Id { Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole DNS -OutputSharePath $using:share -OutputShareCredential $using:wrongCred } -ErrorAction Stop }
            $closed = '\\127.0.0.1:{{closedPort}}\{{SambaServer.ShareName}}'
            $unreachable = Id { Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole DNS -OutputSharePath $using:closed -OutputShareCredential $using:shareCred } -ErrorAction Stop }
            $escape = '\\127.0.0.1\{{SambaServer.ShareName}}\..\etc'
            $invalid = Id { Invoke-Command -Session $pep { Get-AzureStackLog -OutputSharePath $using:escape -OutputShareCredential $using:shareCred } -ErrorAction Stop }
            [pscustomobject]@{ Archive = $copied.Archive; Denied = $denied; Unreachable = $unreachable; Invalid = $invalid } | ConvertTo-Json -Compress
            """);

        var json = fixture.Json(result);
        Assert.StartsWith("ShareAccessDenied,", json.GetProperty("Denied").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("ShareUnreachable,", json.GetProperty("Unreachable").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidSharePath,", json.GetProperty("Invalid").GetString(), StringComparison.Ordinal);
        string archive = json.GetProperty("Archive").GetString()!;
        string collection = archive.Split('\\')[^2];
        string local = Path.Combine(samba.FolderOnDisk("pep"), collection);
        Assert.True(File.Exists(Path.Combine(local, "Get-AzureStackLog_Output.log")), archive);
        using ZipArchive zip = ZipFile.OpenRead(Path.Combine(local, "DNS.zip"));
        ZipArchiveEntry entry = Assert.Single(zip.Entries);
        Assert.EndsWith(source, entry.FullName, StringComparison.Ordinal);
        using var copy = new MemoryStream();
        using (Stream stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        byte[] now = await File.ReadAllBytesAsync(source);
        Assert.InRange(copy.Length, before.Length, now.Length);
        Assert.Equal(now[..(int)copy.Length], copy.ToArray());
        Assert.Empty(Directory.GetDirectories(fixture.Deployment.Layout.RuntimeDirectory("ERCS01"), "AzureStackLogs-*"));
    }
}
