namespace Pep.Gateway.Relay;

/// <summary>
/// A session the endpoint closes itself, once Close-PrivilegedEndpoint has delivered its transcript. The gateway
/// sends the host PowerShell's Close packet; the host closes its runspace pool, tells the client so (the client
/// then closes its side and sends its own Close) and acknowledges. That acknowledgement must not reach the client
/// before the client has asked: a CloseAck for a Close it never sent breaks its session instead of closing it. So
/// the gateway holds it, and answers the client's own Close with it (whether the host is still there or not).
/// </summary>
internal sealed class EndpointInitiatedClose
{
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _clientAnswered = new(TaskCreationOptions.RunContinuationsAsynchronously);
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

    public void Request()
    {
        lock (_gate)
        {
            _requested = true;
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
            return true;
        }
    }

    /// <summary>Called once the client has its acknowledgement.</summary>
    public void Answered() => _clientAnswered.TrySetResult();

    /// <summary>Waits a while for the client to have closed its side, before the gateway closes the connection.</summary>
    public Task WaitForClientAsync(TimeSpan grace) => Task.WhenAny(_clientAnswered.Task, Task.Delay(grace));
}
