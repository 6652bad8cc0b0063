using System.Management.Automation.Runspaces;
using Pep.Core.Contracts;

namespace Pep.SessionModule.Session;

/// <summary>
/// Ends the session once the running command has finished, so that the client still receives the command's
/// results: the host asks its gateway to close the session the way a client closes one (see
/// <see cref="HostSignals.CloseRequest"/>), so that the client's session ends as Closed, not broken. The gateway
/// seals nothing more: it finds the transcript sealed by Close and records the session as Closed. The host asks as
/// soon as the runspace is available again; the server may still be writing the command's last messages then, and the
/// gateway waits for the client to close the command (it has all of its output then) before it closes the session.
/// </summary>
internal static class SessionCloser
{
    /// <summary>A gateway that did not close the session by then is not listening: the host ends by itself.</summary>
    private static readonly TimeSpan GatewayGrace = TimeSpan.FromSeconds(30);

    public static void EndAfterCurrentCommand(Runspace runspace, Guid sessionId)
    {
        ArgumentNullException.ThrowIfNull(runspace);
        int scheduled = 0;
        runspace.AvailabilityChanged += (_, e) =>
        {
            if (e.RunspaceAvailability == RunspaceAvailability.Available && Interlocked.Exchange(ref scheduled, 1) == 0)
            {
                var end = new Thread(() =>
                {
                    RequestClose(sessionId);
                    Thread.Sleep(GatewayGrace);
                    Environment.Exit(0);
                })
                { IsBackground = true, Name = "pep-close" };
                end.Start();
            }
        };
    }

    private static void RequestClose(Guid sessionId) => HostSignalWriter.Send(HostSignals.CloseRequest(sessionId));
}
