using System.Text;

namespace Pep.Gateway.Login;

/// <summary>
/// Reads an HTTP Basic Authorization header (RFC 7617, UTF-8). Only ever sent inside TLS; the password
/// is handed to the verifier and never logged.
/// </summary>
internal static class BasicCredentials
{
    private const int MaxHeaderLength = 2048;

    public static bool TryParse(string? header, out string user, out string password)
    {
        user = "";
        password = "";
        if (header is null || header.Length > MaxHeaderLength || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header["Basic ".Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(decoded);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        finally
        {
            Array.Clear(decoded);
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        user = text[..colon];
        password = text[(colon + 1)..];
        return true;
    }
}
