using System.Management.Automation.Runspaces;
using Pep.Core.Contracts;

namespace Pep.SessionModule.Session;

/// <summary>
/// Ends the session once the running command has finished, so that the client still receives the command's
/// results: the host asks its gateway to close the session the way a client closes one (see
/// <see cref="HostSignals.CloseRequest"/>), so that the client's session ends as Closed, not broken. The gateway
/// seals nothing more: it finds the transcript sealed by Close and records the session as Closed.
/// </summary>
internal static class SessionCloser
{
    /// <summary>
    /// The server writes a pipeline's last messages while the runspace turns available; the grace lets them
    /// reach the gateway before the session closes.
    /// </summary>
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(1);

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
                    Thread.Sleep(FlushGrace);
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
