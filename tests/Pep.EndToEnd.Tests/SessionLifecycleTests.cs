using System.Diagnostics;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Session hosts live exactly as long as their sessions: one dies with its client, a crash is reported clearly.</summary>
public sealed class SessionLifecycleTests
{
    [Fact]
    public async Task ClientKilled_TheSessionHostEndsToo()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        string ready = Path.Combine(deployment.StateDirectory, "client-ready");
        using Process client = deployment.StartClient($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Set-Content '{{ready}}' 'ready'
            Start-Sleep -Seconds 600
            """);
        await EndpointInstance.WaitUntilAsync(() => File.Exists(ready) || client.HasExited, "the client opened its session", TimeSpan.FromSeconds(60));
        Assert.Single(instance.SessionHostIds());

        client.Kill(entireProcessTree: true);

        await EndpointInstance.WaitUntilAsync(() => instance.SessionHostIds().Count == 0, "the session host ended with its client");
        await EndpointInstance.WaitUntilAsync(() => instance.Output.Contains("ended: ClientGone", StringComparison.Ordinal), () => "the gateway recorded that the client went away:\n" + instance.Output);
    }

    [Fact]
    public async Task InstanceStopped_TheClientIsToldWhy_AndTheTranscriptIsSealed()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        string ready = Path.Combine(deployment.StateDirectory, "client-ready");
        string stopped = Path.Combine(deployment.StateDirectory, "instance-stopped");
        using Process client = deployment.StartClient($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Set-Content '{{ready}}' 'ready'
            while (-not (Test-Path '{{stopped}}')) { Start-Sleep -Milliseconds 50 }
            try { Invoke-Command -Session $pep { Get-AzureStackStampInformation } -ErrorAction Stop; 'still working' }
            catch { "ERROR: $($_.Exception.Message) REASON: $($pep.Runspace.RunspaceStateInfo.Reason.Message)" }
            """);
        Task<string> output = client.StandardOutput.ReadToEndAsync();
        await EndpointInstance.WaitUntilAsync(() => File.Exists(ready) || client.HasExited, "the client opened its session", TimeSpan.FromSeconds(60));
        Assert.Single(instance.SessionHostIds());

        instance.Terminate();
        await instance.WaitForExitAsync(TimeSpan.FromSeconds(30));
        File.WriteAllText(stopped, "");
        await client.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.True(instance.Output.Contains("ended: GatewayStopping", StringComparison.Ordinal), instance.Output);
        Assert.Contains("end reason GatewayStopping", instance.Output, StringComparison.Ordinal);
        string said = await output;
        Assert.True(said.Contains("shutting down", StringComparison.Ordinal), said);
    }

    [Fact]
    public async Task SessionHostKilled_TheClientSeesAClearError_AndOtherSessionsGoOn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        string ready = Path.Combine(deployment.StateDirectory, "client-ready");
        string killed = Path.Combine(deployment.StateDirectory, "host-killed");
        using Process client = deployment.StartClient($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Set-Content '{{ready}}' 'ready'
            while (-not (Test-Path '{{killed}}')) { Start-Sleep -Milliseconds 50 }
            try { Invoke-Command -Session $pep { Get-AzureStackStampInformation } -ErrorAction Stop; 'still working' }
            catch { "ERROR: $($_.Exception.Message) REASON: $($pep.Runspace.RunspaceStateInfo.Reason.Message)" }
            """);
        Task<string> output = client.StandardOutput.ReadToEndAsync();
        await EndpointInstance.WaitUntilAsync(() => File.Exists(ready) || client.HasExited, "the client opened its session", TimeSpan.FromSeconds(60));
        int host = Assert.Single(instance.SessionHostIds());

        Process.GetProcessById(host).Kill();
        await EndpointInstance.WaitUntilAsync(() => instance.SessionHostIds().Count == 0, "the killed host is gone");
        File.WriteAllText(killed, "");
        await client.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Contains("ERROR:", await output, StringComparison.Ordinal);
        Assert.Contains("session host ended unexpectedly", await output, StringComparison.Ordinal);
        // The gateway logs the end after it has told the client, so the log may come a moment after the client's error.
        await EndpointInstance.WaitUntilAsync(() => instance.Output.Contains("exited unexpectedly", StringComparison.Ordinal), () => "the gateway logged the host's exit:\n" + instance.Output);

        ProcessResult another = await deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            """);
        Assert.Equal("ERCS01", SessionTests.LastLine(another));
    }
}
