using Pep.Core.Contracts;
using Pep.Gateway.SessionHosts;

namespace Pep.Gateway.Relay;

/// <summary>
/// What the relay needs of a session host: its PSRP lines in and out, its diagnostic lines (<see cref="HostSignals"/>)
/// and its end. The process (<see cref="SessionHostProcess"/>) is one; a test's scripted host is another,
/// so that the relay's limits and close handshake are tested without starting pwsh.
/// </summary>
internal interface ISessionHost
{
    /// <summary>The exit code once the host has exited; -1 before.</summary>
    int ExitCode { get; }

    /// <summary>Writes one PSRP line to the host.</summary>
    Task WriteLineAsync(string line, CancellationToken cancellationToken);

    /// <summary>Closes the session inside the host as a client's Remove-PSSession does (the Close packet of the out-of-process transport).</summary>
    Task CloseSessionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads one PSRP line from the host, blocking (the relay calls it on a thread of its own); null when the host
    /// closed its output (exited).
    /// </summary>
    string? ReadLine();

    /// <summary>Reads one line of the host's diagnostic stream; null when it is closed.</summary>
    Task<string?> ReadDiagnosticLineAsync(CancellationToken cancellationToken);

    Task WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Waits at most <paramref name="limit"/> for the host to exit; true when it has.</summary>
    Task<bool> WaitForExitAsync(TimeSpan limit);

    /// <summary>Ends the host's input (PowerShell's server mode exits on end of input) and waits up to <paramref name="grace"/> for it to exit.</summary>
    Task EndInputAsync(TimeSpan grace);

    /// <summary>Ends the host and anything it started.</summary>
    void Kill();
}
