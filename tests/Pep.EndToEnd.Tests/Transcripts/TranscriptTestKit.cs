using System.Text;
using System.Text.RegularExpressions;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Security;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>What the transcript tests share: a one-instance deployment that sends to the test's Samba server, and waiting on disk state.</summary>
internal static class TranscriptTestKit
{
    public const string Instance = "ERCS01";

    public static Task<TestDeployment> CreateDeploymentAsync(SambaServer samba, IReadOnlyList<string>? roots = null, IReadOnlyList<string>? allowedDestinations = null)
        => TestDeployment.CreateAsync(instanceCount: 1, adjust: config => config with
        {
            Transcripts = new TranscriptSettings { SmbPort = samba.Port, Roots = roots ?? [], SmbOperationTimeoutSeconds = 30, AllowedDestinations = allowedDestinations ?? [] },
        });

    public static TranscriptStore Store(TestDeployment deployment) => new(deployment.Layout, Instance, TimeProvider.System);

    /// <summary>Defines $shareCred in a client script (the password lives in the temporary script file, not on a command line).</summary>
    public static string ShareCredential(SambaServer samba, string? password = null)
        => $"$shareCred = [pscredential]::new('{samba.User}', (ConvertTo-SecureString '{password ?? samba.Password}' -AsPlainText -Force))\n";

    /// <summary>The ledger's complete seal entries (the gateway may be appending one while a test polls).</summary>
    public static IReadOnlyList<LedgerEntry> Ledger(TestDeployment deployment) => [.. AllEntries(deployment).Where(e => !e.IsDelivery)];

    /// <summary>The ledger's delivery entries: where each Close sent each transcript.</summary>
    public static IReadOnlyList<LedgerEntry> Deliveries(TestDeployment deployment) => [.. AllEntries(deployment).Where(e => e.IsDelivery)];

    private static IEnumerable<LedgerEntry> AllEntries(TestDeployment deployment)
        => LedgerFile.Read(Store(deployment).LedgerPath).Where(l => l.Entry is not null).Select(l => l.Entry!);

    public static string[] SealedFiles(TestDeployment deployment)
    {
        string folder = Store(deployment).SealedDirectory;
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder, "PEP_*.txt").Order(StringComparer.Ordinal)] : [];
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }

    public static Task<ProcessResult> VerifyAsync(string folder, params string[] options)
        => ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "verify", folder, .. options]);

    /// <summary>
    /// A large transcript pending on the instance, as a crashed session would leave it: a live folder with a
    /// header and a PowerShell transcript, sealed with the instance key. Large, so a copy takes long enough
    /// for a test to act while it runs.
    /// </summary>
    public static LedgerEntry SealLargePending(TestDeployment deployment, long megabytes)
    {
        TranscriptStore store = Store(deployment);
        var identity = new SessionIdentity(Guid.NewGuid(), @"AZURESTACK\cloudadmin", Instance, "127.0.0.9", DateTimeOffset.UtcNow.AddHours(-1), deployment.StateDirectory, "en-US", "en-US");
        string folder = LiveTranscriptFolder.Create(deployment.Layout, identity);
        byte[] block = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 65536).Select(i => $"PS>output line {i:D10}\n"))[..(1024 * 1024)]);
        using (FileStream transcript = File.Create(Path.Combine(folder, "PowerShell_transcript.test.large.txt")))
        {
            for (long i = 0; i < megabytes; i++)
            {
                transcript.Write(block);
            }
        }

        using SigningKey key = store.LoadInstanceKey();
        LedgerEntry entry = store.SealEnded(identity.SessionId, DateTimeOffset.UtcNow, SessionEndReason.HostExited, key);

        // Sealed here as root: with separation on, the sealed file and the ledger go back to the gateway's account, as
        // if its own sealer had written them.
        if (ServiceAccounts.Find(PosixAccountDatabase.Read()) is { } accounts)
        {
            StateOwnership.ApplyToInstance(deployment.Layout, accounts, Instance);
        }

        return entry;
    }

    /// <summary>The pid of the newest session host, from the gateway's SessionStarted event.</summary>
    public static int LastHostPid(EndpointInstance instance)
        => int.Parse(Regex.Matches(instance.Output, @"\(host pid (\d+)\)").Last().Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    public static string[] PartialCopies(string folder)
        => Directory.Exists(folder) ? Directory.GetFiles(folder, "*.partial", new EnumerationOptions { AttributesToSkip = 0 }) : [];

    /// <summary>A client script line that waits for a file the test creates (bounded), to hold a session open.</summary>
    public static string WaitForFile(string path) => $$"""
        $deadline = [datetime]::UtcNow.AddSeconds(180)
        while (-not (Test-Path '{{path}}') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }

        """;

    public static string WaitForSessionEnd => """
        $deadline = [datetime]::UtcNow.AddSeconds(30)
        while (($s.State -in @('Opened', 'Closing')) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }

        """;
}
