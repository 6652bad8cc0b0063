using Pep.Core.Identities;

namespace Pep.Core.Tests.Identities;

public sealed class ServiceAccountsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-accounts-").FullName;

    [Fact]
    public void Find_WithEveryAccountAndMembership_GivesTheGatewayAndOneAccountPerSlot()
    {
        ServiceAccounts? accounts = ServiceAccounts.Find(Database(complete: true));

        Assert.NotNull(accounts);
        Assert.Equal(new PosixAccount(ServiceAccounts.GatewayUser, 900, 900), accounts.Gateway);
        Assert.Equal(800, accounts.SessionGroupId);
        Assert.Equal(ServiceAccounts.SlotCount, accounts.SessionSlots.Count);
        Assert.Equal(ServiceAccounts.SlotCount, accounts.SessionSlots.Select(a => a.Uid).Distinct().Count());
        Assert.Equal("pep-session-063", accounts.SessionSlots[^1].Name);
    }

    [Fact]
    public void Find_WhenTheGatewayIsNotInASessionAccountsGroup_GivesNothing()
    {
        // The gateway could not give that host its folders: separation must not start half made.
        Assert.Null(ServiceAccounts.Find(Database(complete: false)));
    }

    [Fact]
    public void Find_OnAMachineWithoutTheAccounts_GivesNothing()
    {
        File.WriteAllText(Path.Combine(_folder, "passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        File.WriteAllText(Path.Combine(_folder, "group"), "root:x:0:\n");

        Assert.Null(ServiceAccounts.Find(PosixAccountDatabase.Read(Path.Combine(_folder, "passwd"), Path.Combine(_folder, "group"))));
    }

    [Fact]
    public void SupportGroups_AreResolvedByName_AndAnUnknownNameStopsTheGatewayWithAClearError()
    {
        PosixAccountDatabase database = Database(complete: true, extraGroups: ["adm:x:4:", "systemd-journal:x:190:"]);
        ServiceAccounts accounts = ServiceAccounts.Find(database)!;

        Assert.Equal([4, 190], SupportGroups.Resolve(["adm", "systemd-journal", "adm"], database, accounts));
        Assert.Empty(SupportGroups.Resolve([], database, accounts));
        var unknown = Assert.Throws<Pep.Core.Deployment.DeploymentException>(() => SupportGroups.Resolve(["wheel"], database, accounts));
        Assert.Contains("'wheel'", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root")]
    [InlineData(ServiceAccounts.GatewayUser)]
    [InlineData(ServiceAccounts.SessionGroup)]
    [InlineData("pep-session-005")]
    public void SupportGroups_NeverIncludeRootsOrTheEndpointsOwnGroups(string group)
    {
        PosixAccountDatabase database = Database(complete: true);

        Assert.Throws<Pep.Core.Deployment.DeploymentException>(() => SupportGroups.Resolve([group], database, ServiceAccounts.Find(database)!));
    }

    /// <summary>/etc/passwd and /etc/group as useradd leaves them; without <paramref name="complete"/> the gateway misses one slot's group.</summary>
    private PosixAccountDatabase Database(bool complete, IEnumerable<string>? extraGroups = null)
    {
        var passwd = new List<string> { "root:x:0:0:root:/root:/bin/bash", $"{ServiceAccounts.GatewayUser}:x:900:900::/nonexistent:/usr/sbin/nologin" };
        var group = new List<string> { "root:x:0:", $"{ServiceAccounts.GatewayUser}:x:900:" };
        var members = new List<string>();
        for (int slot = 0; slot < ServiceAccounts.SlotCount; slot++)
        {
            string name = ServiceAccounts.SlotUser(slot);
            passwd.Add($"{name}:x:{1000 + slot}:{1000 + slot}::/nonexistent:/usr/sbin/nologin");
            group.Add($"{name}:x:{1000 + slot}:{(complete || slot != 7 ? ServiceAccounts.GatewayUser : "")}");
            members.Add(name);
        }

        group.Add($"{ServiceAccounts.SessionGroup}:x:800:{string.Join(',', members.Append(ServiceAccounts.GatewayUser))}");
        group.AddRange(extraGroups ?? []);
        File.WriteAllLines(Path.Combine(_folder, "passwd"), passwd);
        File.WriteAllLines(Path.Combine(_folder, "group"), group);
        return PosixAccountDatabase.Read(Path.Combine(_folder, "passwd"), Path.Combine(_folder, "group"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
