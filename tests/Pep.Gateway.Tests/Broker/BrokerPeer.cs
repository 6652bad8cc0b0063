using System.Net.Sockets;
using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Tests.Broker;

/// <summary>A session host's end of a broker socket, as a test drives it: well-formed requests or raw bytes.</summary>
internal sealed class BrokerPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private BrokerPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<BrokerPeer> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new BrokerPeer(socket);
    }

    /// <summary>Sends the request and reads the replies up to the final one; null in place of a final reply when the gateway closed the connection first.</summary>
    public static async Task<(List<BrokerReply> Interim, BrokerReply? Final)> AskAsync(string path, BrokerRequest request)
    {
        await using BrokerPeer peer = await ConnectAsync(path);
        try
        {
            await peer.SendAsync(BrokerFrames.Encode(request), frame: true);
        }
        catch (IOException)
        {
            // The gateway closed the connection before the request was sent: refused unread.
            return ([], null);
        }

        return await peer.ReadRepliesAsync();
    }

    public async Task SendAsync(byte[] bytes, bool frame)
    {
        if (frame)
        {
            await BrokerFrames.WriteAsync(_stream, bytes, CancellationToken.None);
        }
        else
        {
            await _stream.WriteAsync(bytes);
        }
    }

    /// <summary>The replies up to the final one; null in place of the final one when the gateway closed (or reset) the connection first.</summary>
    public async Task<(List<BrokerReply> Interim, BrokerReply? Final)> ReadRepliesAsync()
    {
        var interim = new List<BrokerReply>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await BrokerFrames.ReadAsync(_stream, BrokerFrames.MaxReplyBytes, timeout.Token) is { } payload)
            {
                BrokerReply reply = BrokerFrames.Decode<BrokerReply>(payload);
                if (reply.IsFinal)
                {
                    return (interim, reply);
                }

                interim.Add(reply);
            }
        }
        catch (IOException)
        {
            // A connection closed with our request unread is reset rather than ended: closed all the same.
        }

        return (interim, null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
