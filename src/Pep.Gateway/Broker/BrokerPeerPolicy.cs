using Pep.Core.Platform;

namespace Pep.Gateway.Broker;

/// <summary>
/// Who may speak on a session's broker socket: a process running as the session hosts' user id that is that
/// session's host (or a process it started). Anything else is refused before a byte of it is read.
/// </summary>
internal sealed class BrokerPeerPolicy(uint expectedUid, Func<int, bool> isSessionProcess)
{
    /// <summary>
    /// The user id a session host runs as without separation: the gateway's own. With separation each host runs as a
    /// session account of its own, and its broker admits only that account's uid (<see cref="BrokerSocketAccess"/>).
    /// </summary>
    public static uint SessionHostUid() => ProcessTree.EffectiveUid();

    /// <summary>The policy for the host whose process the gateway started as <paramref name="hostPid"/>, running as <paramref name="hostUid"/>.</summary>
    public static BrokerPeerPolicy ForHost(int hostPid, uint hostUid) => new(hostUid, pid => ProcessTree.IsSelfOrDescendant(pid, hostPid));

    /// <summary>The policy for a host that runs as the gateway's own account.</summary>
    public static BrokerPeerPolicy ForHost(int hostPid) => ForHost(hostPid, SessionHostUid());

    public bool Admits(PeerCredentials peer) => peer.Uid == expectedUid && isSessionProcess(peer.Pid);
}
