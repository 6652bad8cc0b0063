using System.Management.Automation;
using Pep.Core.Contracts;
using Pep.Core.Sessions;

namespace Pep.SessionModule.Session;

/// <summary>
/// Tells the gateway that a cold session host has loaded the endpoint module into its session's runspace
/// (<see cref="HostSignals.Ready"/>). A warm host imports the module before any login, for its warm-up, and has
/// no identity in its environment then: it sends nothing, and the gateway does not wait for it.
/// </summary>
public sealed class ReadySignal : IModuleAssemblyInitializer
{
    private static int _sent;

    public void OnImport()
    {
        if (SessionIdentity.FromEnvironment(Environment.GetEnvironmentVariable) is { } identity && Interlocked.Exchange(ref _sent, 1) == 0)
        {
            HostSignalWriter.Send(HostSignals.Ready(identity.SessionId));
        }
    }
}
