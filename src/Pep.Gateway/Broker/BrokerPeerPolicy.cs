using Pep.Core.Platform;

namespace Pep.Gateway.Broker;

/// <summary>
/// Who may speak on a session's broker socket: a process running as the session hosts' user id that is that
/// session's host (or a process it started). Anything else is refused before a byte of it is read.
/// </summary>
internal sealed class BrokerPeerPolicy(uint expectedUid, Func<int, bool> isSessionProcess)
{
    /// <summary>
    /// The user id session hosts run as: the one place that says it. Today hosts run as the gateway's own account;
    /// when they run as a session account, this returns that account's uid.
    /// </summary>
    public static uint SessionHostUid() => ProcessTree.EffectiveUid();

    /// <summary>The policy for the host whose process the gateway started as <paramref name="hostPid"/>.</summary>
    public static BrokerPeerPolicy ForHost(int hostPid) => new(SessionHostUid(), pid => ProcessTree.IsSelfOrDescendant(pid, hostPid));

    public bool Admits(PeerCredentials peer) => peer.Uid == expectedUid && isSessionProcess(peer.Pid);
}
