using System.Security;
using System.Text;

namespace Pep.Gateway.Broker;

/// <summary>A password from a broker request as the share and certificate code take it; the decoded characters are wiped.</summary>
internal static class SecureStrings
{
    public static SecureString? FromUtf8(byte[]? utf8)
    {
        if (utf8 is null)
        {
            return null;
        }

        char[] characters = Encoding.UTF8.GetChars(utf8);
        try
        {
            var secure = new SecureString();
            foreach (char c in characters)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
        finally
        {
            Array.Clear(characters);
        }
    }
}
