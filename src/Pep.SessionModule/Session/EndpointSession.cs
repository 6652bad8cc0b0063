using Pep.Core.Deployment;
using Pep.Core.Sessions;

namespace Pep.SessionModule.Session;

/// <summary>
/// The session this host serves, read once from what the gateway put in the host's environment, or for a
/// warm host from the hand-over file the gateway wrote when a login took it (<see cref="SessionHandover"/>).
/// A host started any other way has no session, and every endpoint cmdlet refuses to run in it.
/// </summary>
public sealed class EndpointSession
{
    // A failure is not cached: a warm host runs commands before a login has handed it an identity, and the
    // session it serves must still find its identity afterwards.
    private static readonly Lazy<EndpointSession> Instance = new(Load, LazyThreadSafetyMode.PublicationOnly);

    private EndpointSession(SessionIdentity identity)
    {
        Identity = identity;
        Layout = new StateLayout(identity.StateDirectory);
    }

    public static EndpointSession Current => Instance.Value;

    public SessionIdentity Identity { get; }

    public StateLayout Layout { get; }

    /// <summary>The deployment's settings, read when asked so that changes by other sessions show at once.</summary>
    public DeploymentConfig LoadConfig() => DeploymentConfig.Load(Layout.ConfigFile);

    private static EndpointSession Load()
    {
        SessionIdentity identity = SessionIdentity.FromEnvironment(Environment.GetEnvironmentVariable)
            ?? SessionHandover.TryRead(Environment.GetEnvironmentVariable)
            ?? throw new InvalidOperationException("This PowerShell process was not started by the privileged endpoint gateway.");
        return new EndpointSession(identity);
    }
}
