using System.Runtime.InteropServices;
using System.Security;
using Pep.Core.Platform;
using Pep.Core.Shares;

namespace Pep.Core.Certificates;

/// <summary>
/// A folder on an SMB share, read with smbclient into a private temporary folder that is deleted at once.
/// The share password becomes plain text only in smbclient's 0600 authentication file.
/// </summary>
public sealed class SharePfxSource(SharePath share, string user, SecureString password, TimeSpan timeout) : IPfxSource
{
    public string Display => share.ToString();

    public async Task<IReadOnlyDictionary<string, byte[]>> ReadAsync(IReadOnlyList<string> fileNames, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        string folder = Directory.CreateTempSubdirectory("pep-pfx-").FullName;
        PrivateDirectory.Restrict(folder);
        char[] plain = new char[password.Length];
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
        try
        {
            Marshal.Copy(unmanaged, plain, 0, plain.Length);
            IReadOnlyList<string> missing = await SmbClient.DownloadAsync(share, user, plain, fileNames, folder, timeout, cancellationToken);
            if (missing.Count > 0)
            {
                throw PfxFiles.Missing(Display, missing, fileNames);
            }

            return fileNames.ToDictionary(n => n, n => PfxFiles.ReadBounded(Path.Combine(folder, n), n), StringComparer.Ordinal);
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            Array.Clear(plain);
            Directory.Delete(folder, recursive: true);
        }
    }
}
