namespace Pep.Gateway.Broker;

/// <summary>
/// Who may reach a session's broker socket when hosts run as session accounts of their own (issue 11): the group of
/// that session's own account (<paramref name="HostGroupId"/>), through folders the session group
/// (<paramref name="SessionGroupId"/>) may enter; <paramref name="HostUid"/> is the only user id the peer check admits.
/// </summary>
internal sealed record BrokerSocketAccess(uint HostUid, int HostGroupId, int SessionGroupId);
