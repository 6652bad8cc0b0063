using System.Net;
using System.Net.Sockets;
using System.Text.Json;
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
