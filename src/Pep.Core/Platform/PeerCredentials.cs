using System.Buffers.Binary;
using System.Net.Sockets;

namespace Pep.Core.Platform;

/// <summary>
/// Who is at the other end of a connected Unix socket, as the kernel recorded it when the peer connected
/// (SO_PEERCRED): its process id, user id and group id. The peer cannot choose what these say. The session broker
/// and the SSH door know their callers this way, never by what they write.
/// </summary>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The credentials of the socket's peer (struct ucred: three 32-bit fields in the machine's byte order).</summary>
    public static PeerCredentials Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> ucred = stackalloc byte[12];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length != ucred.Length)
        {
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        }

        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(ucred),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]));
    }
}
