using System.Management.Automation.Internal;
using System.Management.Automation.Remoting;
using System.Management.Automation.Remoting.Client;
using System.Text;
using System.Threading.Channels;
using Pep.Core.Contracts;

namespace Pep.ClientModule.Transport;

/// <summary>
/// Moves PSRP between PowerShell's client runspace and a <see cref="WebSocketLineChannel"/>. PowerShell
/// writes outgoing messages, one line each, to the writer set with SetMessageWriter; incoming lines go to
/// HandleOutputDataReceived. Only the worker task touches the socket.
/// </summary>
internal sealed class PepClientTransportManager : ClientSessionTransportManagerBase
{
    private readonly PepConnectionInfo _info;
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>
    /// PowerShell's outgoing lines, sent by the worker task. The worker continues on the thread that wrote the line
    /// (synchronous continuations), so a message goes out at once, without waiting for a pool thread (0.2 to 3 ms each
    /// on a busy machine, several times per command); a send that cannot complete at once, and every failure, stay
    /// with the worker task, which reports why the session ended (the writer's thread never sees a socket error).
    /// </summary>
    private readonly Channel<string> _outbound = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private Task? _worker;
    private volatile bool _connected;
    private volatile bool _cleanedUp;

    public PepClientTransportManager(PepConnectionInfo info, Guid runspaceId, PSRemotingCryptoHelper cryptoHelper)
        : base(runspaceId, cryptoHelper)
        => _info = info;

    /// <summary>Called by Runspace.Open/OpenAsync: connect and start moving lines, off the caller's thread.</summary>
    public override void CreateAsync() => _worker = Task.Run(RunAsync);

    /// <summary>Called once the runspace has closed cleanly: stop sending, which closes the socket.</summary>
    protected override void CleanupConnection()
    {
        _cleanedUp = true;
        _outbound.Writer.TryComplete();
    }

    /// <summary>Called on Runspace.Close/Dispose. A connection still being made is abandoned.</summary>
    public override void CloseAsync()
    {
        if (!_connected)
        {
            _cancel.Cancel();
            _outbound.Writer.TryComplete();
        }

        base.CloseAsync();
    }

    protected override void Dispose(bool isDisposing)
    {
        if (isDisposing)
        {
            _cleanedUp = true;
            _outbound.Writer.TryComplete();
            if (_worker is { IsCompleted: false } worker && !worker.Wait(TimeSpan.FromSeconds(5)))
            {
                _cancel.Cancel();
                worker.Wait(TimeSpan.FromSeconds(5));
            }

            _cancel.Dispose();
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
            _info.DeliveredLegalNotice = channel.LegalNotice;
            _info.ReceivedReloginTicket = channel.ReloginTicket;
            _connected = true;
            stage = TransportMethodEnum.ReceiveShellOutputEx;
            SetMessageWriter(new LineWriter(_outbound.Writer));
            SendOneItem();

            Task sending = SendAllAsync(channel);
            Task receiving = ReceiveAllAsync(channel);
            Task first = await Task.WhenAny(sending, receiving);
            // The sending half may have ended on PowerShell's thread (its Close completing the channel): the rest, the
            // close handshake included, runs on the pool.
            await Task.Yield();
            await first;
            if (first == receiving && !_cleanedUp)
            {
                throw new PepTransportException(FailureKind.SessionEnded, "The endpoint closed the session.");
            }
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested || _cleanedUp)
        {
            // Closed on purpose.
        }
        catch (Exception e)
        {
            _outbound.Writer.TryComplete();
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

    private async Task SendAllAsync(WebSocketLineChannel channel)
    {
        await foreach (string line in _outbound.Reader.ReadAllAsync(_cancel.Token))
        {
            await channel.SendAsync(line, _cancel.Token);
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
            ?? new PepTransportException(FailureKind.ConnectionLost, $"{_info.Address}: the connection to the endpoint was lost: {error.Message}", error);

        // RaiseErrorHandler drives PowerShell's state machine, which may dispose this manager and wait for
        // this very task: raise it from another task so that wait cannot deadlock.
        _ = Task.Run(() => RaiseErrorHandler(new TransportErrorOccuredEventArgs(transportError, stage)));
    }

    /// <summary>PowerShell's view of the outgoing side: each WriteLine is one PSRP message.</summary>
    private sealed class LineWriter(ChannelWriter<string> writer) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            // PowerShell takes an IOException from its writer to mean the transport has closed.
            if (!writer.TryWrite(value ?? string.Empty))
            {
                throw new IOException("The connection to the privileged endpoint is closed.");
            }
        }
    }
}
