using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using Pep.Core.Platform;

namespace Pep.Core.Shares;

/// <summary>
/// The credential for a share: user, optional domain (<c>DOMAIN\user</c> or <c>user@domain</c>) and the
/// password as a SecureString. It becomes plain text only inside an smbclient authentication file (mode 0600,
/// deleted after the call), never on a command line, in a log or in a message.
/// </summary>
public sealed class ShareCredential : IDisposable
{
    private readonly SecureString _password;

    public ShareCredential(string userName, SecureString password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        int slash = userName.IndexOf('\\', StringComparison.Ordinal);
        int at = userName.IndexOf('@', StringComparison.Ordinal);
        (Domain, User) = slash > 0 ? (userName[..slash], userName[(slash + 1)..])
            : at > 0 ? (userName[(at + 1)..], userName[..at])
            : (null, userName);
        if (User.Length == 0 || userName.AsSpan().ContainsAny('\n', '\r', '\0'))
        {
            throw new ArgumentException("The share user name is empty or holds a line break.", nameof(userName));
        }

        _password = password.Copy();
        _password.MakeReadOnly();
    }

    public string User { get; }

    public string? Domain { get; }

    /// <summary>Writes smbclient's <c>-A</c> file: created 0600 before the password is written.</summary>
    public void WriteAuthenticationFile(string path)
    {
        IntPtr plain = Marshal.SecureStringToGlobalAllocUnicode(_password);
        char[] characters = new char[_password.Length];
        byte[]? bytes = null;
        try
        {
            Marshal.Copy(plain, characters, 0, characters.Length);
            if (characters.AsSpan().ContainsAny('\n', '\r', '\0'))
            {
                throw new DestinationException(DestinationFailure.AccessDenied, "The share password holds a line break, which smbclient cannot take.");
            }

            var text = new StringBuilder();
            text.Append("username = ").Append(User).Append('\n');
            if (Domain is not null)
            {
                text.Append("domain = ").Append(Domain).Append('\n');
            }

            byte[] head = Encoding.UTF8.GetBytes(text.ToString() + "password = ");
            int passwordBytes = Encoding.UTF8.GetByteCount(characters);
            bytes = new byte[head.Length + passwordBytes + 1];
            head.CopyTo(bytes, 0);
            Encoding.UTF8.GetBytes(characters, 0, characters.Length, bytes, head.Length);
            bytes[^1] = (byte)'\n';
            SecretFile.WriteAllBytes(path, bytes);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(plain);
            Array.Clear(characters);
            if (bytes is not null)
            {
                Array.Clear(bytes);
            }
        }
    }

    public void Dispose() => _password.Dispose();
}
