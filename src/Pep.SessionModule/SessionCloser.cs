using System.Management.Automation.Runspaces;

namespace Pep.SessionModule;

/// <summary>
/// Ends the session host once the running command has finished, so that the client still receives the
/// command's results. The gateway sees the host exit and, finding the transcript sealed by Close, records
/// the session as Closed.
/// </summary>
internal static class SessionCloser
{
    /// <summary>
    /// The server writes a pipeline's last messages while the runspace turns available; the grace lets them
    /// reach the gateway before the process ends.
    /// </summary>
    private static readonly TimeSpan FlushGrace = TimeSpan.FromSeconds(1);

    public static void ExitAfterCurrentCommand(Runspace runspace)
    {
        ArgumentNullException.ThrowIfNull(runspace);
        int scheduled = 0;
        runspace.AvailabilityChanged += (_, e) =>
        {
            if (e.RunspaceAvailability == RunspaceAvailability.Available && Interlocked.Exchange(ref scheduled, 1) == 0)
            {
                var exit = new Thread(() =>
                {
                    Thread.Sleep(FlushGrace);
                    Environment.Exit(0);
                })
                { IsBackground = true, Name = "pep-close" };
                exit.Start();
            }
        };
    }
}
