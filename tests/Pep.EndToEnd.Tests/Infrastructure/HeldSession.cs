using System.Diagnostics;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real client (pwsh) that opens a session and holds it, for tests that act on the endpoint while a session is
/// open. On <see cref="RunCommandAsync"/> it runs one command in the session and says what happened: the
/// instance's name, or "ERROR: … REASON: …" with why the session is gone. Disposing kills a client still running.
/// </summary>
public sealed class HeldSession : IDisposable
{
    private readonly string _go;
    private readonly Task<string> _output;

    private HeldSession(Process client, string go)
    {
        Client = client;
        _go = go;
        _output = client.StandardOutput.ReadToEndAsync();
    }

    public Process Client { get; }

    /// <summary>
    /// Starts the client and returns once its session is open. <paramref name="command"/>, when given, is what the
    /// client runs on <see cref="RunCommandAsync"/> instead of Get-AzureStackStampInformation: client-side script
    /// that uses the session <c>$pep</c> and prints its result.
    /// </summary>
    public static async Task<HeldSession> OpenAsync(TestDeployment deployment, string? command = null)
    {
        string name = Guid.NewGuid().ToString("N");
        string ready = Path.Combine(deployment.StateDirectory, $"client-{name}.ready");
        string go = Path.Combine(deployment.StateDirectory, $"client-{name}.go");
        var held = new HeldSession(deployment.StartClient($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Set-Content '{{ready}}' 'ready'
            while (-not (Test-Path '{{go}}')) { Start-Sleep -Milliseconds 50 }
            try { {{command ?? "(Invoke-Command -Session $pep { Get-AzureStackStampInformation } -ErrorAction Stop).CurrentInstance"}} }
            catch { "ERROR: $($_.Exception.Message) REASON: $($pep.Runspace.RunspaceStateInfo.Reason.Message)" }
            """), go);
        await EndpointInstance.WaitUntilAsync(() => File.Exists(ready) || held.Client.HasExited, "the client opened its session", TimeSpan.FromSeconds(60));
        if (held.Client.HasExited)
        {
            Assert.Fail("the client ended before its session was open: " + await held._output);
        }

        return held;
    }

    /// <summary>Lets the client run its command, and returns everything it printed.</summary>
    public async Task<string> RunCommandAsync()
    {
        await File.WriteAllTextAsync(_go, "");
        await Client.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return await _output;
    }

    public void Dispose()
    {
        if (!Client.HasExited)
        {
            Client.Kill(entireProcessTree: true);
        }

        Client.Dispose();
    }
}
