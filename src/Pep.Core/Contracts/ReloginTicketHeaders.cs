namespace Pep.Core.Contracts;

/// <summary>
/// The re-login ticket on the wire (README, Security, "Re-login tickets"): the gateway hands a new one to the client in
/// its answer to a successful login (the WebSocket upgrade), and the client sends it back, with the password, in its next
/// login of the same account to the same instance. Base64 of the ticket's 32 bytes. The header never goes without TLS,
/// and neither side logs it. Compiled into the client module and the gateway.
/// </summary>
public static class ReloginTicketHeaders
{
    /// <summary>Request header of a login, and response header of the upgrade that opened a session.</summary>
    public const string Ticket = "X-Pep-Relogin-Ticket";

    public const int TicketBytes = 32;

    public static string Encode(ReadOnlySpan<byte> ticket) => Convert.ToBase64String(ticket);

    /// <summary>
    /// The ticket a header holds; null when there is no header. A header that is not base64 of exactly
    /// <see cref="TicketBytes"/> bytes gives an empty ticket: presented, and known to no one.
    /// </summary>
    public static byte[]? Decode(string? header)
    {
        if (header is null)
        {
            return null;
        }

        byte[] ticket = new byte[TicketBytes];
        return header.Length <= 64 && Convert.TryFromBase64String(header, ticket, out int written) && written == TicketBytes ? ticket : [];
    }
}
