using Pep.Core.Deployment;

namespace Pep.Core.Identities;

/// <summary>
/// The group ids of <see cref="SupportSettings.ElevatedGroups"/>, checked once when the gateway starts (fail closed: a
/// name that does not exist, or a group that would hand a session the endpoint's own files or root's, stops the
/// gateway with a clear error instead of running with rights nobody meant).
/// </summary>
public static class SupportGroups
{
    public static IReadOnlyList<int> Resolve(IReadOnlyList<string> names, PosixAccountDatabase database, ServiceAccounts accounts)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(accounts);
        var forbidden = new HashSet<int>(accounts.SessionSlots.Select(slot => slot.Gid)) { 0, accounts.Gateway.Gid, accounts.SessionGroupId };
        var ids = new List<int>();
        foreach (string name in names)
        {
            if (database.GroupId(name) is not { } gid)
            {
                throw new DeploymentException($"support.elevatedGroups names the group '{name}', which does not exist on this machine.");
            }

            if (forbidden.Contains(gid))
            {
                throw new DeploymentException($"support.elevatedGroups may not name '{name}': it is root's or one of the endpoint's own groups, whose files no session may reach.");
            }

            ids.Add(gid);
        }

        return ids.Distinct().ToList();
    }
}
