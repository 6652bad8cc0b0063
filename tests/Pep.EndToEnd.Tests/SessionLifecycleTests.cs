using System.Diagnostics;
using System.Text.RegularExpressions;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Transcripts;

namespace Pep.EndToEnd.Tests;

/// <summary>Session hosts live exactly as long as their sessions: one dies with its client, a crash is reported clearly.</summary>
public sealed class SessionLifecycleTests
{
    [Fact]
    public async Task ClientKilled_TheSessionHostEndsToo()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        using HeldSession session = await HeldSession.OpenAsync(deployment);
        Assert.Single(instance.SessionHostIds());

        session.Client.Kill(entireProcessTree: true);

        await EndpointInstance.WaitUntilAsync(() => instance.SessionHostIds().Count == 0, "the session host ended with its client");
        await EndpointInstance.WaitUntilAsync(() => instance.Output.Contains("ended: ClientGone", StringComparison.Ordinal), () => "the gateway recorded that the client went away:\n" + instance.Output);
    }

    /// <summary>
    /// A host killed with SIGKILL is noticed and sealed before a Close started right after the kill has finished: the
    /// Close of another session, started once the killed host is gone, delivers its transcript.
    /// </summary>
    [Fact]
    public async Task SessionHostKilled_ItsTranscriptIsSealedInTimeForACloseStartedRightAfter()
    {
        DirectoryInfo root = Directory.CreateTempSubdirectory("pep-test-delivered-");
        try
        {
            await using TestDeployment deployment = await TestDeployment.CreateAsync(1, adjust: config => config with
            {
                Transcripts = config.Transcripts with { Roots = [root.FullName] },
            });
            EndpointInstance instance = await deployment.StartAsync("ERCS01");
            using HeldSession killed = await HeldSession.OpenAsync(deployment);
            int host = Assert.Single(instance.SessionHostIds());
            string killedId = Regex.Match(instance.Output, $@"Session ([0-9a-f-]{{36}}) started .* \(host pid {host}\)").Groups[1].Value;
            string destination = Path.Combine(root.FullName, "after-kill");
            using HeldSession closer = await HeldSession.OpenAsync(deployment,
                $"Invoke-Command -Session $pep {{ Close-PrivilegedEndpoint '{destination}' }} -ErrorAction Stop | ForEach-Object {{ $_.Delivered }}");

            Process.GetProcessById(host).Kill();
            await EndpointInstance.WaitUntilAsync(() => !TranscriptTestKit.IsRunning(host), "the killed host is gone");
            string said = await closer.RunCommandAsync();

            string[] delivered = Directory.Exists(destination) ? Directory.GetFiles(destination, "PEP_*.txt") : [];
            string killedTranscript = Assert.Single(delivered, f => f.Contains(Guid.Parse(killedId).ToString("N"), StringComparison.Ordinal));
            Assert.Contains("End reason: HostExited", await File.ReadAllTextAsync(killedTranscript), StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(killedTranscript), said, StringComparison.Ordinal);
            Assert.Equal(2, delivered.Length);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task InstanceStopped_TheClientIsToldWhy_AndTheTranscriptIsSealed()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        using HeldSession session = await HeldSession.OpenAsync(deployment);
        Assert.Single(instance.SessionHostIds());

        instance.Terminate();
        await instance.WaitForExitAsync(TimeSpan.FromSeconds(30));
        string said = await session.RunCommandAsync();

        Assert.True(instance.Output.Contains("ended: GatewayStopping", StringComparison.Ordinal), instance.Output);
        Assert.Contains("end reason GatewayStopping", instance.Output, StringComparison.Ordinal);
        Assert.True(said.Contains("ERROR:", StringComparison.Ordinal) && said.Contains("shutting down", StringComparison.Ordinal), said);
    }

    [Fact]
    public async Task SessionHostKilled_TheClientSeesAClearError_AndOtherSessionsGoOn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        using HeldSession session = await HeldSession.OpenAsync(deployment);
        int host = Assert.Single(instance.SessionHostIds());

        Process.GetProcessById(host).Kill();
        await EndpointInstance.WaitUntilAsync(() => instance.SessionHostIds().Count == 0, "the killed host is gone");
        string said = await session.RunCommandAsync();

        Assert.Contains("ERROR:", said, StringComparison.Ordinal);
        Assert.Contains("session host ended unexpectedly", said, StringComparison.Ordinal);
        // The gateway logs the end after it has told the client, so the log may come a moment after the client's error.
        await EndpointInstance.WaitUntilAsync(() => instance.Output.Contains("exited unexpectedly", StringComparison.Ordinal), () => "the gateway logged the host's exit:\n" + instance.Output);

        ProcessResult another = await deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            """);
        Assert.Equal("ERCS01", SessionTests.LastLine(another));
    }
}
