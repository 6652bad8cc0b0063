namespace Pep.Gateway.Relay;

/// <summary>
/// The out-of-process transport's packets that open and close one command (pipeline) of a session, each a single line
/// that starts with its name and the command's id, as PowerShell writes them (verified on 7.6.9):
/// <c>&lt;Command PSGuid='…' /&gt;</c> from the client, its <c>&lt;Close PSGuid='…' /&gt;</c> once it has the command's
/// final state, and the server's <c>&lt;CloseAck PSGuid='…' /&gt;</c>. The zero id is the session's own.
/// </summary>
internal static class CommandPackets
{
    public const string CommandPrefix = "<Command PSGuid='";
    public const string ClosePrefix = "<Close PSGuid='";
    public const string CloseAckPrefix = "<CloseAck PSGuid='";

    private const int GuidLength = 36;

    /// <summary>True when <paramref name="line"/> is a packet that starts with <paramref name="prefix"/>; <paramref name="id"/> is its command's id.</summary>
    public static bool TryReadId(string line, string prefix, out Guid id)
    {
        id = Guid.Empty;
        return line.StartsWith(prefix, StringComparison.Ordinal)
               && line.Length > prefix.Length + GuidLength
               && line[prefix.Length + GuidLength] == '\''
               && Guid.TryParseExact(line.AsSpan(prefix.Length, GuidLength), "D", out id);
    }
}
