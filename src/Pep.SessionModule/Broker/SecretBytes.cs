using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace Pep.SessionModule.Broker;

/// <summary>A SecureString's characters for the moment they are needed, with every copy on the way wiped.</summary>
internal static class SecretBytes
{
    /// <summary>The characters as UTF-8 bytes, for a broker request (which clears them once sent).</summary>
    public static byte[] Utf8(SecureString secret) => WithCharacters(secret, Encoding.UTF8.GetBytes);

    /// <summary>Gives the characters to <paramref name="use"/> and wipes them afterwards.</summary>
    public static T WithCharacters<T>(SecureString secret, Func<char[], T> use)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(use);
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(secret);
        char[] characters = new char[secret.Length];
        try
        {
            Marshal.Copy(unmanaged, characters, 0, characters.Length);
            return use(characters);
        }
        finally
        {
            Array.Clear(characters);
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
        }
    }
}
