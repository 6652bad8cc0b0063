using System.Globalization;

namespace Pep.Core.Identities;

/// <summary>
/// Reads the local account files (<c>/etc/passwd</c>, <c>/etc/group</c>), where <c>useradd</c> writes. The service
/// accounts are local system accounts by design (<see cref="ServiceAccounts"/>), so no name service is asked.
/// </summary>
public sealed class PosixAccountDatabase
{
    private readonly Dictionary<string, PosixAccount> _users;
    private readonly Dictionary<string, (int Gid, string[] Members)> _groups;

    private PosixAccountDatabase(Dictionary<string, PosixAccount> users, Dictionary<string, (int, string[])> groups)
    {
        _users = users;
        _groups = groups;
    }

    public static PosixAccountDatabase Read(string passwdFile = "/etc/passwd", string groupFile = "/etc/group")
    {
        var users = new Dictionary<string, PosixAccount>(StringComparer.Ordinal);
        foreach (string[] fields in Records(passwdFile, minimumFields: 4))
        {
            if (int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
            {
                users.TryAdd(fields[0], new PosixAccount(fields[0], uid, gid));
            }
        }

        var groups = new Dictionary<string, (int, string[])>(StringComparer.Ordinal);
        foreach (string[] fields in Records(groupFile, minimumFields: 4))
        {
            if (int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out int gid))
            {
                groups.TryAdd(fields[0], (gid, fields[3].Split(',', StringSplitOptions.RemoveEmptyEntries)));
            }
        }

        return new PosixAccountDatabase(users, groups);
    }

    private static IEnumerable<string[]> Records(string file, int minimumFields)
        => File.Exists(file)
            ? File.ReadLines(file).Where(line => line.Length > 0 && line[0] != '#').Select(line => line.Split(':')).Where(f => f.Length >= minimumFields)
            : [];

    public PosixAccount? User(string name) => _users.GetValueOrDefault(name);

    public int? GroupId(string name) => _groups.TryGetValue(name, out var group) ? group.Gid : null;

    public bool IsMember(string group, string user) => _groups.TryGetValue(group, out var entry) && entry.Members.Contains(user, StringComparer.Ordinal);
}
