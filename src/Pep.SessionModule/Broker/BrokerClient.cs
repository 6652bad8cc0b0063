using System.Net.Sockets;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Broker;

/// <summary>
/// The session host's side of its broker: one connection per request to the socket the gateway made for this
/// session (named in the host's environment), the request as one frame, then the gateway's replies until the
/// final one. Everything runs on the calling thread (the pipeline's), so interim replies can be written at once.
/// Closing the connection (Ctrl+C) tells the gateway to stop the request.
/// </summary>
internal static class BrokerClient
{
    public static BrokerReply Call(BrokerRequest request, Action<BrokerReply> onInterim, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(onInterim);
        string path = Environment.GetEnvironmentVariable(BrokerSocket.Variable) is { Length: > 0 } named
            ? named
            : throw new BrokerUnavailableException("This session host was not given a broker by the endpoint's gateway.");
        byte[] frame = BrokerFrames.Encode(request);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            using var stream = new NetworkStream(socket, ownsSocket: false);
            BrokerFrames.WriteAsync(stream, frame, cancellation).GetAwaiter().GetResult();
            Array.Clear(frame);
            while (true)
            {
                byte[] payload = BrokerFrames.ReadAsync(stream, BrokerFrames.MaxReplyBytes, cancellation).GetAwaiter().GetResult()
                    ?? throw new BrokerUnavailableException("The endpoint's gateway ended the request without an answer.");
                BrokerReply reply = BrokerFrames.Decode<BrokerReply>(payload);
                if (reply.IsFinal)
                {
                    return reply;
                }

                onInterim(reply);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or BrokerProtocolException)
        {
            throw new BrokerUnavailableException($"The endpoint's gateway could not be asked: {e.Message}", e);
        }
        finally
        {
            // The frame may carry a password.
            Array.Clear(frame);
        }
    }
}
