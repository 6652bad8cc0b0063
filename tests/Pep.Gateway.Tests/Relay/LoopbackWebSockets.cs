using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Pep.Gateway.Tests.Relay;

/// <summary>Two ends of a real WebSocket over a loopback TCP connection: the gateway's (server) and the client's.</summary>
internal sealed class LoopbackWebSockets : IDisposable
{
    private readonly TcpClient _clientConnection;
    private readonly TcpClient _serverConnection;

    private LoopbackWebSockets(TcpClient clientConnection, TcpClient serverConnection)
    {
        _clientConnection = clientConnection;
        _serverConnection = serverConnection;
        Server = WebSocket.CreateFromStream(serverConnection.GetStream(), new WebSocketCreationOptions { IsServer = true });
        Client = WebSocket.CreateFromStream(clientConnection.GetStream(), new WebSocketCreationOptions { IsServer = false });
    }

    public WebSocket Server { get; }

    public WebSocket Client { get; }

    public static async Task<LoopbackWebSockets> ConnectAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var client = new TcpClient();
            Task connecting = client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            TcpClient server = await listener.AcceptTcpClientAsync();
            await connecting;
            return new LoopbackWebSockets(client, server);
        }
        finally
        {
            listener.Stop();
        }
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendAsync(byte[] bytes, WebSocketMessageType type)
        => Client.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>The client's next text message; null when the gateway closed instead.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            WebSocketReceiveResult result = await Client.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Reads until the gateway's close frame and answers it, as a client does; gives the frame's status and text.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Text)> ReceiveCloseAsync()
    {
        while (await ReceiveTextAsync() is not null)
        {
        }

        (WebSocketCloseStatus? status, string? text) = (Client.CloseStatus, Client.CloseStatusDescription);
        if (Client.State == WebSocketState.CloseReceived)
        {
            await Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }

        return (status, text);
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        _serverConnection.Dispose();
        _clientConnection.Dispose();
    }
}
