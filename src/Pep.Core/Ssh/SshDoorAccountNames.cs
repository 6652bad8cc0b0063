using Pep.Core.Accounts;
using Pep.Core.Platform;

namespace Pep.Core.Ssh;

/// <summary>
/// The list of account names a gateway hands its SSH door's keeper (<see cref="SshDoorLayout.AccountNamesFile"/>):
/// one name a line. The keeper runs as root and the gateway does not, so the keeper takes from it only what is a
/// plain account name (<see cref="AccountName"/>): nothing in the file can add anything else to the machine's
/// extrausers file, and a link, FIFO or oversize file there is not read at all.
/// </summary>
public static class SshDoorAccountNames
{
    /// <summary>Far above any real deployment's accounts (64 characters a name).</summary>
    private const long MaxBytes = 1024 * 1024;

    public static void Write(string path, IEnumerable<string> users) => AtomicFile.WriteAllLines(path, users);

    /// <summary>The plain account names in the file; empty when there is none; null with the reason when it was refused.</summary>
    public static IReadOnlyList<string>? Read(string path, out string? refusal)
    {
        if (!File.Exists(path))
        {
            refusal = null;
            return [];
        }

        using FileStream? file = NoFollowFile.OpenRegular(path, MaxBytes, out refusal);
        if (file is null)
        {
            return null;
        }

        using var reader = new StreamReader(file);
        var names = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (AccountName.TryParse(line, "-", out _) is { } name && name.User == line)
            {
                names.Add(name.User);
            }
        }

        return names;
    }
}
