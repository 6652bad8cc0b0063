using System.Management.Automation.Internal;
using System.Management.Automation.Remoting;
using System.Management.Automation.Remoting.Client;
using System.Text;
using System.Net.WebSockets;

namespace Pep.ClientModule.Transport;

/// <summary>
/// Moves PSRP between PowerShell's client runspace and a <see cref="WebSocketLineChannel"/>. PowerShell
/// writes outgoing messages, one line each, to the writer set with SetMessageWriter, which sends each at once on
/// the writing thread (as PowerShell's own out-of-process and SSH transports write to a pipe); incoming lines go
/// to HandleOutputDataReceived from the worker task, which also closes the socket.
/// </summary>
internal sealed class PepClientTransportManager : ClientSessionTransportManagerBase
{
    private readonly PepConnectionInfo _info;
    private readonly CancellationTokenSource _cancel = new();
    /// <summary>Completed when PowerShell is done with the connection (it closed cleanly, or it is disposed).</summary>
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One message at a time on the socket: PowerShell may write from more than one thread.</summary>
    private readonly SemaphoreSlim _sending = new(1, 1);
    private WebSocketLineChannel? _channel;
    private Task? _worker;
    private volatile bool _connected;
    private volatile bool _cleanedUp;

    public PepClientTransportManager(PepConnectionInfo info, Guid runspaceId, PSRemotingCryptoHelper cryptoHelper)
        : base(runspaceId, cryptoHelper)
        => _info = info;

    /// <summary>Called by Runspace.Open/OpenAsync: connect and start moving lines, off the caller's thread.</summary>
    public override void CreateAsync() => _worker = Task.Run(RunAsync);

    /// <summary>Called once the runspace has closed cleanly: the worker closes the socket.</summary>
    protected override void CleanupConnection()
    {
        _cleanedUp = true;
        _finished.TrySetResult();
    }

    /// <summary>Called on Runspace.Close/Dispose. A connection still being made is abandoned.</summary>
    public override void CloseAsync()
    {
        if (!_connected)
        {
            _cancel.Cancel();
            _finished.TrySetResult();
        }

        base.CloseAsync();
    }

    protected override void Dispose(bool isDisposing)
    {
        if (isDisposing)
        {
            _cleanedUp = true;
            _finished.TrySetResult();
            if (_worker is { IsCompleted: false } worker && !worker.Wait(TimeSpan.FromSeconds(5)))
            {
                _cancel.Cancel();
                worker.Wait(TimeSpan.FromSeconds(5));
            }

            _cancel.Dispose();
            _sending.Dispose();
        }

        base.Dispose(isDisposing);
    }

    private async Task RunAsync()
    {
        WebSocketLineChannel? channel = null;
        TransportMethodEnum stage = TransportMethodEnum.CreateShellEx;
        try
        {
            channel = await WebSocketLineChannel.ConnectAsync(_info, _cancel.Token);
            _channel = channel;
            _connected = true;
            stage = TransportMethodEnum.ReceiveShellOutputEx;
            SetMessageWriter(new LineWriter(this));
            SendOneItem();

            Task receiving = ReceiveAllAsync(channel);
            Task first = await Task.WhenAny(_finished.Task, receiving);
            await first;
            if (first == receiving && !_cleanedUp)
            {
                throw new PepTransportException("SessionEnded", "The endpoint closed the session.");
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested || _cleanedUp)
        {
            // Closed on purpose.
        }
        catch (Exception e)
        {
            _finished.TrySetResult();
            if (!_cleanedUp)
            {
                Report(e, stage);
            }
        }
        finally
        {
            if (channel is not null)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    // No message after the close frame: a send still running finishes first.
                    await _sending.WaitAsync(closing.Token);
                    _channel = null;
                    _sending.Release();
                    await channel.CloseAsync(closing.Token);
                }
                catch (Exception)
                {
                    // The socket is already broken; nothing more to tell the server.
                }

                channel.Dispose();
            }
        }
    }

    /// <summary>
    /// Sends one line on the writing thread. A small message goes straight into the socket; the hand-over to a
    /// worker task this replaced cost a thread-pool wake-up per message (measured with strace).
    /// </summary>
    private void Send(string line)
    {
        try
        {
            _sending.Wait(_cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            throw new IOException("The connection to the privileged endpoint is closed.", e);
        }

        try
        {
            WebSocketLineChannel channel = _channel ?? throw new IOException("The connection to the privileged endpoint is closed.");
            channel.SendAsync(line, _cancel.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // PowerShell takes an IOException from its writer to mean the transport has closed.
            throw new IOException("The connection to the privileged endpoint is closed.", e);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAllAsync(WebSocketLineChannel channel)
    {
        while (await channel.ReceiveAsync(_cancel.Token) is { } line)
        {
            HandleOutputDataReceived(line);
        }
    }

    private void Report(Exception error, TransportMethodEnum stage)
    {
        PSRemotingTransportException transportError = error as PSRemotingTransportException
            ?? new PepTransportException("ConnectionLost", $"{_info.Address}: the connection to the endpoint was lost: {error.Message}", error);

        // RaiseErrorHandler drives PowerShell's state machine, which may dispose this manager and wait for
        // this very task: raise it from another task so that wait cannot deadlock.
        _ = Task.Run(() => RaiseErrorHandler(new TransportErrorOccuredEventArgs(transportError, stage)));
    }

    /// <summary>PowerShell's view of the outgoing side: each WriteLine is one PSRP message.</summary>
    private sealed class LineWriter(PepClientTransportManager transport) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value) => transport.Send(value ?? string.Empty);
    }
}
