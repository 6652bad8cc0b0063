using System.Globalization;
using System.Text;
using Pep.Core.Platform;

namespace Pep.Core.Shares;

/// <summary>Why an upload to a share failed, in words an operator can act on (never the password).</summary>
public sealed class ShareException(string errorId, string message) : Exception(message)
{
    public string ErrorId { get; } = errorId;
}

/// <summary>
/// Uploads files to and reads files from an SMB share with Samba's smbclient. The credential goes into a 0600 authentication
/// file (<c>-A</c>) in a private folder that is deleted afterwards: never onto a command line.
/// </summary>
public static class SmbClient
{
    /// <summary>Characters that would break out of smbclient's quoted arguments or its command list.</summary>
    private static readonly System.Buffers.SearchValues<char> NotInNames = System.Buffers.SearchValues.Create("\\/\";\r\n");

    private static readonly System.Buffers.SearchValues<char> NotInLocalPaths = System.Buffers.SearchValues.Create("\";\r\n");

    public static string Executable { get; set; } = "/usr/bin/smbclient";

    /// <summary>Creates the share's folders and <paramref name="collection"/> below them, and puts each file there.</summary>
    public static async Task UploadAsync(SharePath share, string user, ReadOnlyMemory<char> password, string collection, IReadOnlyList<string> files,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var commands = new StringBuilder();
        foreach (string folder in share.Folders.Append(collection))
        {
            commands.Append(CultureInfo.InvariantCulture, $"mkdir \"{folder}\"; cd \"{folder}\"; ");
        }

        foreach (string file in files)
        {
            commands.Append(CultureInfo.InvariantCulture, $"put \"{file}\" \"{Path.GetFileName(file)}\"; ");
        }

        (CommandOutcome outcome, string failure) = await RunAsync(share, user, password, commands.ToString(), timeout, cancellationToken);
        ThrowOnFailure(share, "write to", outcome, failure, timeout);
    }

    /// <summary>
    /// Copies the named files from the share's folder into <paramref name="localFolder"/> (plain names only).
    /// Returns the names the folder does not hold; any other failure is a <see cref="ShareException"/>.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DownloadAsync(SharePath share, string user, ReadOnlyMemory<char> password, IReadOnlyList<string> names,
        string localFolder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(names);
        if (names.Any(n => n.AsSpan().ContainsAny(NotInNames) || n.Trim('.').Length == 0) || localFolder.AsSpan().ContainsAny(NotInLocalPaths))
        {
            throw new ArgumentException("File names and the local folder may not hold separators, quotes or ';'.", nameof(names));
        }

        var commands = new StringBuilder();
        foreach (string folder in share.Folders)
        {
            commands.Append(CultureInfo.InvariantCulture, $"cd \"{folder}\"; ");
        }

        foreach (string name in names)
        {
            commands.Append(CultureInfo.InvariantCulture, $"get \"{name}\" \"{Path.Combine(localFolder, name)}\"; ");
        }

        (CommandOutcome outcome, string failure) = await RunAsync(share, user, password, commands.ToString(), timeout, cancellationToken);
        if (failure.Contains("NT_STATUS_OBJECT_NAME_NOT_FOUND", StringComparison.Ordinal) || failure.Contains("NT_STATUS_OBJECT_PATH_NOT_FOUND", StringComparison.Ordinal))
        {
            string[] missing = [.. names.Where(n => !File.Exists(Path.Combine(localFolder, n)))];
            if (missing.Length > 0 && !outcome.TimedOut)
            {
                return missing;
            }
        }

        ThrowOnFailure(share, "read from", outcome, failure, timeout);
        return [];
    }

    private static void ThrowOnFailure(SharePath share, string what, CommandOutcome outcome, string failure, TimeSpan timeout)
    {
        if (outcome.TimedOut)
        {
            throw new ShareException("ShareTimedOut", $"{share} did not answer within {timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s.");
        }

        if (!outcome.Succeeded || failure.Length > 0)
        {
            string id = failure.Contains("LOGON_FAILURE", StringComparison.Ordinal) || failure.Contains("ACCESS_DENIED", StringComparison.Ordinal)
                ? "ShareAccessDenied" : "ShareUnreachable";
            throw new ShareException(id, $"Could not {what} {share}: {(failure.Length > 0 ? failure : outcome.Describe())}.");
        }
    }

    /// <summary>Runs smbclient with the credential in a 0600 authentication file that exists only for this call.</summary>
    private static async Task<(CommandOutcome Outcome, string Failure)> RunAsync(SharePath share, string user, ReadOnlyMemory<char> password, string commands,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (password.Span.IndexOfAny('\n', '\r') >= 0 || user.IndexOfAny(['\n', '\r']) >= 0)
        {
            throw new ShareException("InvalidShareCredential", "The share credential may not contain line breaks.");
        }

        string privateFolder = Directory.CreateTempSubdirectory("pep-smb-").FullName;
        PrivateDirectory.Restrict(privateFolder);
        try
        {
            string authFile = Path.Combine(privateFolder, "auth");
            (string domain, string name) = SplitUser(user);
            var auth = new StringBuilder();
            auth.Append("username = ").AppendLine(name);
            auth.Append("password = ").Append(password.Span).AppendLine();
            if (domain.Length > 0)
            {
                auth.Append("domain = ").AppendLine(domain);
            }

            SecretFile.WriteAllText(authFile, auth.ToString());
            auth.Clear();

            var argv = new List<string> { Executable, share.Service, "-A", authFile, "-m", "SMB3", "-t", ((int)Math.Max(5, timeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture) };
            if (share.Port is { } port)
            {
                argv.AddRange(["-p", port.ToString(CultureInfo.InvariantCulture)]);
            }

            argv.AddRange(["-c", commands]);
            CommandOutcome outcome = await CommandRunner.RunAsync(argv, timeout, cancellationToken);
            return (outcome, FirstError(outcome.Output));
        }
        finally
        {
            Directory.Delete(privateFolder, recursive: true);
        }
    }

    private static (string Domain, string User) SplitUser(string user)
    {
        int slash = user.IndexOf('\\', StringComparison.Ordinal);
        return slash > 0 ? (user[..slash], user[(slash + 1)..]) : (string.Empty, user);
    }

    /// <summary>The first NT_STATUS error smbclient printed, ignoring "the folder exists already" from mkdir.</summary>
    private static string FirstError(string output)
        => output.Split('\n').Select(l => l.Trim())
            .FirstOrDefault(l => l.Contains("NT_STATUS_", StringComparison.Ordinal) && !l.Contains("NT_STATUS_OBJECT_NAME_COLLISION", StringComparison.Ordinal))
           ?? string.Empty;
}
