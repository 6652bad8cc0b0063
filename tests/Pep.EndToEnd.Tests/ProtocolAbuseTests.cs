using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Pep.Core.Deployment;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Clients that break the protocol: each loses its own connection, leaves no session host behind, and the
/// instance goes on serving a real pwsh client.
/// </summary>
public sealed class ProtocolAbuseTests : IAsyncLifetime
{
    private TestDeployment _deployment = null!;
    private EndpointInstance _instance = null!;
    private InstanceConfig Config => _deployment.Instances[0];

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(1, config => config with
        {
            Limits = config.Limits with { HandshakeTimeoutSeconds = 2, MaxMessageBytes = 256 * 1024 },
        });
        _instance = await _deployment.StartAsync("ERCS01");
    }

    public async Task DisposeAsync() => await _deployment.DisposeAsync();

    [Fact]
    public async Task OversizedMessage_ClosesThatSessionWithMessageTooBig_AndOthersStillWork()
    {
        using ClientWebSocket socket = await ConnectAsync();
        await socket.SendAsync(new byte[512 * 1024], WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        WebSocketCloseStatus? status = await ReceiveCloseAsync(socket);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        await AssertNoSessionHostsAsync();
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task BinaryOrMultiLineMessage_IsAProtocolError()
    {
        using ClientWebSocket binary = await ConnectAsync();
        await binary.SendAsync(new byte[] { 0, 1, 2 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, await ReceiveCloseAsync(binary));

        using ClientWebSocket injected = await ConnectAsync();
        await injected.SendAsync(Encoding.UTF8.GetBytes("<Data/>\n<Data/>"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.Equal(WebSocketCloseStatus.ProtocolError, await ReceiveCloseAsync(injected));
        await AssertNoSessionHostsAsync();
    }

    [Fact]
    public async Task AuthenticatedClientThatNeverStartsItsSession_IsClosedAfterTheHandshakeLimit()
    {
        using var watch = new HostStartWatch(_deployment, "ERCS01");
        using ClientWebSocket socket = await ConnectAsync();

        WebSocketCloseStatus? status = await ReceiveCloseAsync(socket);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Contains("did not start its session within 2 seconds", socket.CloseStatusDescription, StringComparison.Ordinal);
        await AssertNoSessionHostsAsync();
        // The one host this login started is the one the watch saw (so the watch sees starts in the tests below).
        Assert.Single(await watch.HostsStartedAsync());
    }

    [Fact]
    public async Task ClientThatStallsBeforeTls_IsDisconnected_AndStartsNothing()
    {
        using var watch = new HostStartWatch(_deployment, "ERCS01");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Config.Address, Config.Port);
        NetworkStream stream = tcp.GetStream();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read = await stream.ReadAsync(new byte[16], deadline.Token);

        Assert.Equal(0, read);
        Assert.Empty(await watch.HostsStartedAsync());
    }

    [Fact]
    public async Task MalformedAuthorization_IsRefusedBeforeAnythingStarts()
    {
        using var watch = new HostStartWatch(_deployment, "ERCS01");
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.RemoteCertificateValidationCallback = TrustPinned;
        socket.Options.SetRequestHeader("Authorization", "Basic %%%not-base64");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Uri(), CancellationToken.None));

        Assert.Equal(401, (int)socket.HttpStatusCode);
        Assert.Equal("InvalidCredential", socket.HttpResponseHeaders!["X-Pep-Error"].Single());
        Assert.Empty(await watch.HostsStartedAsync());
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = TrustPinned;
        socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestDeployment.AdminUser}:{_deployment.AdminPassword}")));
        await socket.ConnectAsync(Uri(), CancellationToken.None);
        return socket;
    }

    private Uri Uri() => new($"wss://{Config.Address}:{Config.Port}/PrivilegedEndpoint");

    private bool TrustPinned(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
        => certificate is not null && Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())) == _deployment.Thumbprint;

    private static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(ClientWebSocket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    private Task AssertNoSessionHostsAsync()
        => EndpointInstance.WaitUntilAsync(() => _instance.SessionHostIds().Count == 0, "no session host left running");

    private async Task AssertStillServesAsync()
    {
        ProcessResult result = await _deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            """);
        Assert.Equal("ERCS01", SessionTests.LastLine(result));
    }
}
