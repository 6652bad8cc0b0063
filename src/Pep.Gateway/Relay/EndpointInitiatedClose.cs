namespace Pep.Gateway.Relay;

/// <summary>
/// A session the endpoint closes itself, once Close-PrivilegedEndpoint has delivered its transcript. The gateway
/// sends the host PowerShell's Close packet; the host closes its runspace pool, tells the client so (the client
/// then closes its side and sends its own Close) and acknowledges. That acknowledgement must not reach the client
/// before the client has asked: a CloseAck for a Close it never sent breaks its session instead of closing it. So
/// the gateway holds it, and answers the client's own Close with it (whether the host is still there or not).
/// The host asks as soon as Close-PrivilegedEndpoint's pipeline has finished, which can be before the server has written
/// that pipeline's last messages. So the gateway sends its Close only once every command the client started is closed:
/// the client closes a command (<c>&lt;Close PSGuid='…'&gt;</c>, acknowledged by the host) after it has received the
/// command's final state, so by then the client has all of Close's output, with no fixed wait in between.
/// </summary>
internal sealed class EndpointInitiatedClose
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _clientAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _commandsClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<Guid> _openCommands = [];
    private bool _requested;
    private bool _ackHeld;
    private bool _clientAsked;

    public bool Requested
    {
        get
        {
            lock (_gate)
            {
                return _requested;
            }
        }
    }

    /// <summary>
    /// The host asks to close the session: from now on nothing of the client reaches the host but its Close of a
    /// command still open. The task completes when no command is open any more (at once when none is), or when the
    /// client closes the whole session itself.
    /// </summary>
    public Task Request()
    {
        lock (_gate)
        {
            _requested = true;
            if (_openCommands.Count == 0)
            {
                _commandsClosed.TrySetResult();
            }

            return _commandsClosed.Task;
        }
    }

    /// <summary>A line the client sends the host: a command's start opens the command (see <see cref="Request"/>).</summary>
    public void ClientSent(string clientLine)
    {
        if (CommandPackets.TryReadId(clientLine, CommandPackets.CommandPrefix, out Guid command))
        {
            lock (_gate)
            {
                _openCommands.Add(command);
            }
        }
    }

    /// <summary>
    /// A line the host sends the client: the acknowledgement of a command's Close closes the command. True when the line
    /// is such an acknowledgement (a command of the session has been answered in full).
    /// </summary>
    public bool HostSent(string hostLine)
    {
        if (!CommandPackets.TryReadId(hostLine, CommandPackets.CloseAckPrefix, out Guid command) || command == Guid.Empty)
        {
            return false;
        }

        lock (_gate)
        {
            if (_openCommands.Remove(command) && _requested && _openCommands.Count == 0)
            {
                _commandsClosed.TrySetResult();
            }
        }

        return true;
    }

    /// <summary>True for the one kind of client line that still reaches the host after the request: its Close of a command still open.</summary>
    public bool StillForwarded(string clientLine)
    {
        lock (_gate)
        {
            return _requested && CommandPackets.TryReadId(clientLine, CommandPackets.ClosePrefix, out Guid command) && _openCommands.Contains(command);
        }
    }

    /// <summary>
    /// A line from the host. True when it is the acknowledgement to hold back; <paramref name="answerClient"/> says
    /// whether the client has asked already, so that the acknowledgement is due to it now.
    /// </summary>
    public bool HoldsBack(string hostLine, out bool answerClient)
    {
        lock (_gate)
        {
            answerClient = false;
            if (!_requested || _ackHeld || hostLine != OutOfProcessPackets.CloseSessionAck)
            {
                return false;
            }

            _ackHeld = true;
            answerClient = _clientAsked;
            return true;
        }
    }

    /// <summary>
    /// A line from the client. True when it is the client's Close, which the gateway answers itself (the host
    /// has closed the session already); <paramref name="answerClient"/> says whether the acknowledgement is due now.
    /// </summary>
    public bool Answers(string clientLine, out bool answerClient)
    {
        lock (_gate)
        {
            answerClient = false;
            if (!_requested || _clientAsked || clientLine != OutOfProcessPackets.CloseSession)
            {
                return false;
            }

            _clientAsked = true;
            answerClient = _ackHeld;
            // The client closes the whole session: no command of it will be closed on its own any more.
            _commandsClosed.TrySetResult();
            return true;
        }
    }

    /// <summary>Called once the client has its acknowledgement.</summary>
    public void Answered() => _clientAnswered.TrySetResult();

    /// <summary>Waits a while for the client to have closed its side, before the gateway closes the connection.</summary>
    public Task WaitForClientAsync(TimeSpan grace) => Task.WhenAny(_clientAnswered.Task, Task.Delay(grace));
}
