using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Three instances for resiliency: the client moves on when one is down or does not answer.</summary>
public sealed class FailoverTests
{
    private const string ConnectAndReport = """
        $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 3000 -WarningVariable warnings -WarningAction SilentlyContinue
        [pscustomobject]@{ Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance; Warnings = @($warnings | ForEach-Object { "$_" }) } | ConvertTo-Json -Compress
        """;

    [Fact]
    public async Task FirstInstanceNotRunning_ClientLandsOnTheSecond()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync();
        await deployment.StartAsync("ERCS02");
        await deployment.StartAsync("ERCS03");

        JsonElement json = SessionTests.LastJson(await deployment.RunClientAsync(ConnectAndReport));

        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
        Assert.Contains("Trying the next instance", json.GetProperty("Warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstInstanceKilled_ClientLandsOnTheSecond()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync();
        await deployment.StartAllAsync();
        deployment.Running[0].Kill();
        await EndpointInstance.WaitUntilAsync(() => deployment.Running[0].HasExited, "ERCS01 has exited");

        JsonElement json = SessionTests.LastJson(await deployment.RunClientAsync(ConnectAndReport));

        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
    }

    [Fact]
    public async Task FirstInstanceAcceptsButNeverAnswers_ClientGivesUpAfterTheTimeoutAndMovesOn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(2);
        await deployment.StartAsync("ERCS02");
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
        string script = ConnectAndReport.Replace("-ComputerName $computers", $"-ComputerName (@('127.0.0.1:{silentPort}') + $computers[1])", StringComparison.Ordinal);

        JsonElement json = SessionTests.LastJson(await deployment.RunClientAsync(script));

        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
        Assert.Contains("no answer within 3 seconds", json.GetProperty("Warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstInstanceAcceptsButAnswersTheLoginLate_ClientWaitsForItsAnswer()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(2);
        await deployment.StartAsync("ERCS02");
        using X509Certificate2 certificate = TlsCertificate.LoadPfx(new StateLayout(deployment.StateDirectory).TlsCertificatePfx);
        using var slow = new TcpListener(IPAddress.Loopback, 0);
        slow.Start();
        int slowPort = ((IPEndPoint)slow.LocalEndpoint).Port;
        Task answered = AnswerLateAsync(slow, certificate, TimeSpan.FromSeconds(5));
        string script = ConnectAndReport.Replace("-ComputerName $computers", $"-ComputerName (@('127.0.0.1:{slowPort}') + $computers[1])", StringComparison.Ordinal);

        JsonElement json = SessionTests.LastJson(await deployment.RunClientAsync(script));
        await answered;

        // TLS came within the 3 s, so the client waited for the login's answer past them and reports what the instance said.
        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
        Assert.Contains("busy verifying logins (test)", json.GetProperty("Warnings")[0].GetString(), StringComparison.Ordinal);
    }

    /// <summary>An instance that completes TLS at once but answers the login only after <paramref name="delay"/>, with a refusal.</summary>
    private static async Task AnswerLateAsync(TcpListener listener, X509Certificate2 certificate, TimeSpan delay)
    {
        using TcpClient connection = await listener.AcceptTcpClientAsync();
        await using var tls = new SslStream(connection.GetStream());
        await tls.AuthenticateAsServerAsync(certificate);
        var request = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await tls.ReadAsync(buffer);
            Assert.True(read > 0, "the client closed the connection before the answer: " + request);
            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await Task.Delay(delay);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(
            "HTTP/1.1 503 Service Unavailable\r\nX-Pep-Error: Busy\r\nX-Pep-Message: busy verifying logins (test)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    [Fact]
    public async Task NoInstanceReachable_SaysWhatHappenedAtEachOne()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(2);

        ProcessResult result = await deployment.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -WarningAction SilentlyContinue }
            catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } | ConvertTo-Json -Compress }
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("NoInstanceReachable,", json.GetProperty("Id").GetString(), StringComparison.Ordinal);
        foreach (var instance in deployment.Instances)
        {
            Assert.Contains($"127.0.0.1:{instance.Port}", json.GetProperty("Message").GetString(), StringComparison.Ordinal);
        }
    }
}
