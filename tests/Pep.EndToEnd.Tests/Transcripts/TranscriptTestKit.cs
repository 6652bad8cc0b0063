using Pep.Core.Deployment;
using Pep.Core.Transcripts;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests.Transcripts;

/// <summary>What the transcript tests share: a one-instance deployment that sends to the test's Samba server, and waiting on disk state.</summary>
internal static class TranscriptTestKit
{
    public const string Instance = "ERCS01";

    public static Task<TestDeployment> CreateDeploymentAsync(SambaServer samba, IReadOnlyList<string>? roots = null)
        => TestDeployment.CreateAsync(instanceCount: 1, adjust: config => config with
        {
            Transcripts = new TranscriptSettings { SmbPort = samba.Port, Roots = roots ?? [], SmbOperationTimeoutSeconds = 30 },
        });

    public static TranscriptStore Store(TestDeployment deployment) => new(deployment.Layout, Instance, TimeProvider.System);

    /// <summary>Defines $shareCred in a client script (the password lives in the temporary script file, not on a command line).</summary>
    public static string ShareCredential(SambaServer samba, string? password = null)
        => $"$shareCred = [pscredential]::new('{samba.User}', (ConvertTo-SecureString '{password ?? samba.Password}' -AsPlainText -Force))\n";

    public static IReadOnlyList<LedgerEntry> Ledger(TestDeployment deployment) => LedgerFile.ReadEntries(Store(deployment).LedgerPath);

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

    public static Task<ProcessResult> VerifyAsync(string folder)
        => ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "verify", folder]);
}
