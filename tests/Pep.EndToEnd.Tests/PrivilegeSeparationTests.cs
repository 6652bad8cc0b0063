using System.Text.Json;
using Pep.Core.Identities;
using Pep.Core.Security;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Issue 11 end to end: a support session elevated through the real unlock flow (the vendor's real
/// <c>pep authority grant</c>) runs full PowerShell as its own session account, and the endpoint's keys, account
/// store, ledger, sealed transcripts and another session's live folder stay out of its reach. The fixture runs as
/// root, so <c>pep init</c> and <c>pep serve</c> set the identities up as they do on a real host.
/// </summary>
[Trait(Requires.Trait, Requires.Root)]
[Collection(SupportSequence.Name)]
public sealed class PrivilegeSeparationTests(SupportDeployment fixture) : IClassFixture<SupportDeployment>
{
    private TestDeployment Deployment => fixture.Deployment;

    [Fact]
    public async Task AnElevatedSupportSession_CanReadNoKeyNorTheAccountStoreNorTheTrail_NorAnotherSessionsFolder()
    {
        // A transcript sealed before, and another session open beside the elevated one.
        ProcessResult before = await Deployment.RunClientAsync("""
            $s = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Invoke-Command -Session $s { Get-AzureStackStampInformation } | Out-Null
            Remove-PSSession $s
            """);
        Assert.True(before.ExitCode == 0, before.ToString());
        string sealedFolder = Path.Combine(Deployment.Layout.TranscriptDirectory("ERCS01"), "sealed");
        await EndpointInstance.WaitUntilAsync(() => Directory.Exists(sealedFolder) && Directory.EnumerateFiles(sealedFolder, "PEP_*.txt").Any(), "a transcript is sealed");
        string sealedTranscript = Directory.EnumerateFiles(sealedFolder, "PEP_*.txt").First();
        using HeldSession other = await HeldSession.OpenAsync(Deployment);
        string otherFolder = Assert.Single(LiveFolders());
        string otherFile = Directory.EnumerateFiles(otherFolder).First();
        string ledger = Path.Combine(Deployment.Layout.TranscriptDirectory("ERCS01"), "ledger.jsonl");
        long ledgerLength = new FileInfo(ledger).Length;

        Assert.True(LiveTranscriptFolder.TryGetSessionId(otherFolder, out Guid otherSession));
        string otherBroker = Path.Combine(Deployment.Layout.RuntimeDirectory("ERCS01"), "b", otherSession.ToString("N")[..24], "s");
        Assert.True(File.Exists(otherBroker), otherBroker);
        var targets = new Dictionary<string, string>
        {
            ["OtherSessionsGatewayRecord"] = Path.Combine(GatewaySessionFolder.PathOf(Deployment.Layout, "ERCS01", otherSession), GatewaySessionFolder.RecordFile),
            ["StampKey"] = Deployment.Layout.StampPrivateKey,
            ["InstanceKey"] = Deployment.Layout.InstancePrivateKey("ERCS01"),
            ["TlsKey"] = Deployment.Layout.TlsCertificatePfx,
            ["AccountStore"] = Deployment.Layout.AccountDatabase,
            ["Ledger"] = ledger,
            ["SealedTranscript"] = sealedTranscript,
            ["OtherSessionsFile"] = otherFile,
        };
        string readAttempts = string.Join("; ", targets.Select(t => $"'{t.Key}' = '{t.Value}'"));
        ProcessResult result = await Deployment.RunClientAsync(fixture.Variables + $$"""
            $targets = [ordered]@{ {{readAttempts}} }
            $otherFolder = '{{otherFolder}}'
            $sealedFolder = '{{sealedFolder}}'
            $ledger = '{{ledger}}'
            $stampManifest = '{{Deployment.Layout.StampManifest}}'
            $otherBroker = '{{otherBroker}}'
            $records = '{{Deployment.Layout.GatewayRecordDirectory("ERCS01")}}'
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
            $request = Invoke-Command -Session $pep { Get-SupportSessionToken }
            $response = Grant $request
            $null = Invoke-Command -Session $pep { Unlock-SupportSession $using:response } -WarningAction SilentlyContinue
            $outcome = Invoke-Command -Session $pep {
                function Attempt([scriptblock] $try) { try { $null = & $try; 'Allowed' } catch { 'Denied' } }
                $r = [ordered]@{ User = [Environment]::UserName }
                $targets = $using:targets
                foreach ($t in $targets.GetEnumerator()) { $r["Read" + $t.Key] = Attempt { [IO.File]::ReadAllBytes($t.Value) } }
                $r.ListOtherSession = Attempt { Get-ChildItem -LiteralPath $using:otherFolder -Force -ErrorAction Stop }
                $r.ListSealed = Attempt { Get-ChildItem -LiteralPath $using:sealedFolder -Force -ErrorAction Stop }
                $r.AppendLedger = Attempt { [IO.File]::AppendAllText($using:ledger, "{}`n") }
                $own = Join-Path (Split-Path $using:otherFolder) ($env:PEP_SESSION_ID -replace '-', '')
                $r.WriteOwnFolder = Attempt { [IO.File]::WriteAllText((Join-Path $own 'probe.txt'), 'mine') }
                $r.ReadStampManifest = Attempt { [IO.File]::ReadAllBytes($using:stampManifest) }
                $r.ReadOwnGatewayRecord = Attempt { [IO.File]::ReadAllBytes((Join-Path $using:records ($env:PEP_SESSION_ID -replace '-', '') 'record.log')) }
                function Connect([string] $path) {
                    $socket = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::Unix, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Unspecified)
                    try { $socket.Connect([Net.Sockets.UnixDomainSocketEndPoint]::new($path)) } finally { $socket.Dispose() }
                }
                $r.ConnectOtherBroker = Attempt { Connect $using:otherBroker }
                $r.ConnectOwnBroker = Attempt { Connect $env:PEP_BROKER_SOCKET }
                $r.WriteStampManifest = Attempt { [IO.File]::AppendAllText($using:stampManifest, ' ') }
                [pscustomobject]$r
            }
            Remove-PSSession $pep
            $outcome | Select-Object * -ExcludeProperty PSComputerName, RunspaceId, PSShowComputerName | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith(ServiceAccounts.SessionUserPrefix, json.GetProperty("User").GetString(), StringComparison.Ordinal);
        foreach (string target in targets.Keys)
        {
            Assert.True(json.GetProperty("Read" + target).GetString() == "Denied", $"{target} ({targets[target]}) was readable: {json}");
        }

        Assert.Equal("Denied", json.GetProperty("ListOtherSession").GetString());
        Assert.Equal("Denied", json.GetProperty("ListSealed").GetString());
        Assert.Equal("Denied", json.GetProperty("AppendLedger").GetString());
        Assert.Equal("Denied", json.GetProperty("WriteStampManifest").GetString());
        Assert.Equal("Denied", json.GetProperty("ReadOwnGatewayRecord").GetString());
        Assert.Equal("Denied", json.GetProperty("ConnectOtherBroker").GetString());
        Assert.Equal("Allowed", json.GetProperty("ConnectOwnBroker").GetString());
        // The session is not simply denied everything: its own folder and the public manifest are its to use.
        Assert.Equal("Allowed", json.GetProperty("WriteOwnFolder").GetString());
        Assert.Equal("Allowed", json.GetProperty("ReadStampManifest").GetString());
        Assert.True(new FileInfo(ledger).Length >= ledgerLength);

        // The trail the elevated session could not touch verifies, its own seal included, once it has ended.
        await EndpointInstance.WaitUntilAsync(() => LiveFolders().Count == 1, "the elevated session is sealed");
        Assert.Equal(0, (await VerifyTrailAsync()).ExitCode);
    }

    /// <summary>Live transcript folders of the instance (session ids), as root sees them.</summary>
    private List<string> LiveFolders()
        => [.. Directory.EnumerateDirectories(Deployment.Layout.TranscriptDirectory("ERCS01")).Where(f => LiveTranscriptFolder.TryGetSessionId(f, out _))];

    /// <summary>The instance's sealed transcripts, ledger and public key, named as a Close delivers them, through <c>pep verify</c>.</summary>
    private async Task<ProcessResult> VerifyTrailAsync()
    {
        string folder = Directory.CreateTempSubdirectory("pep-trail-").FullName;
        try
        {
            string transcripts = Deployment.Layout.TranscriptDirectory("ERCS01");
            using SigningKey key = SigningKey.Load(Deployment.Layout.InstancePrivateKey("ERCS01"));
            File.WriteAllText(Path.Combine(folder, DeliveredNames.PublicKey("ERCS01", key.PublicKeyId)), key.ExportPublicKeyPem());
            File.Copy(Path.Combine(transcripts, "ledger.jsonl"), Path.Combine(folder, DeliveredNames.Ledger("ERCS01", key.PublicKeyId)));
            foreach (string sealedFile in Directory.EnumerateFiles(Path.Combine(transcripts, "sealed"), "PEP_*.txt"))
            {
                File.Copy(sealedFile, Path.Combine(folder, Path.GetFileName(sealedFile)));
            }

            ProcessResult verify = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "verify", folder]);
            Assert.True(verify.ExitCode == 0, verify.ToString());
            return verify;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
