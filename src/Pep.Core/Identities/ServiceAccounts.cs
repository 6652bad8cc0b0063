namespace Pep.Core.Identities;

/// <summary>
/// The endpoint's two operating-system identities (issue 11). The gateway's account owns every key, the account
/// store, the store credentials, the ledger and sealed transcripts. Session hosts run as one of
/// <see cref="SlotCount"/> session accounts, one per running host, so that two sessions never share a uid: a host
/// cannot read another's <c>/proc/&lt;pid&gt;/environ</c>, signal it, or enter its live transcript folder. Every
/// session account belongs to <see cref="SessionGroup"/>, which may read the public parts of the state (stamp
/// manifest, legal notice, deployment settings); each has its own group too, and the gateway's account is a
/// member of every such group (and of the session group), so that it can hand a host its own folders without being root.
/// </summary>
public sealed record ServiceAccounts(PosixAccount Gateway, int SessionGroupId, IReadOnlyList<PosixAccount> SessionSlots)
{
    public const string GatewayUser = "pep-gateway";

    public const string SessionGroup = "pep-sessions";

    public const string SessionUserPrefix = "pep-session-";

    /// <summary>Session accounts on the machine, shared by every instance on it (sessions and warm hosts together).</summary>
    public const int SlotCount = 64;

    /// <summary>Where gateways lease session accounts (one lock file each), shared by every gateway on the machine.</summary>
    public const string SlotLeaseDirectory = "/run/pep-session-slots";

    public static string SlotUser(int slot) => $"{SessionUserPrefix}{slot:D3}";

    /// <summary>The accounts, or null when any is missing or the gateway is not in every session account's group.</summary>
    public static ServiceAccounts? Find(PosixAccountDatabase accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.User(GatewayUser) is not { } gateway || accounts.GroupId(SessionGroup) is not { } sessionGroup || !accounts.IsMember(SessionGroup, GatewayUser))
        {
            return null;
        }

        var slots = new List<PosixAccount>();
        for (int slot = 0; slot < SlotCount; slot++)
        {
            string name = SlotUser(slot);
            if (accounts.User(name) is not { } account || !accounts.IsMember(name, GatewayUser) || !accounts.IsMember(SessionGroup, name))
            {
                return null;
            }

            slots.Add(account);
        }

        return new ServiceAccounts(gateway, sessionGroup, slots);
    }
}
