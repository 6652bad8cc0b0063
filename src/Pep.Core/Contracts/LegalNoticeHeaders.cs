using System.Text;

namespace Pep.Core.Contracts;

/// <summary>
/// The stamp's legal notice in the gateway's answer to the login (the WebSocket upgrade), so that the client shows it
/// before the first prompt without asking for it in a command of its own: one PSRP round trip and the host's first run
/// of an endpoint cmdlet fewer on every login (bench/README.md, figure 1). The gateway records what it handed over in
/// its record of the session. Both headers present (possibly empty: no notice) mean the gateway delivered it; a gateway
/// that sends neither leaves the client to ask with Get-AzSLegalNotice, as before. Values are base64 of UTF-8, since a
/// header holds ASCII only: a notice holds at most 8,448 characters, under 34 KiB encoded, within the 64 KiB of response
/// headers .NET's HTTP client accepts. Compiled into the client module and the gateway.
/// </summary>
public static class LegalNoticeHeaders
{
    /// <summary>Response header of the upgrade: the notice's caption.</summary>
    public const string Caption = "X-Pep-Notice-Caption";

    /// <summary>Response header of the upgrade: the notice's text.</summary>
    public const string Text = "X-Pep-Notice-Text";

    public static string Encode(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    /// <summary>The value a header holds; false when there is none or it is not base64 of UTF-8.</summary>
    public static bool TryDecode(string? header, out string value)
    {
        value = string.Empty;
        if (header is null)
        {
            return false;
        }

        try
        {
            value = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(header));
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}
