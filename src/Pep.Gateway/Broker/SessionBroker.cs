using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Pep.Core.Contracts.Broker;
using Pep.Core.Platform;
using Pep.Core.Sessions;

namespace Pep.Gateway.Broker;

/// <summary>
/// The broker of one session: a Unix socket made for that session alone, on which its host asks the gateway for
/// privileged work. The gateway knows the session by the socket; a request never says whom it is for. Each
/// connection is checked by its peer credentials (<see cref="BrokerPeerPolicy"/>), carries one request (a frame of
/// at most <see cref="BrokerFrames.MaxRequestBytes"/>, complete within <see cref="RequestReadTimeout"/>), and gets
/// its replies; at most <see cref="MaxRequestsInFlight"/> connections of a session are served at once. A
/// connection that breaks any of this is closed and logged; nothing it sent reaches a handler, and nothing it
/// does touches another session or the gateway. Every request and its outcome is an audit event.
/// </summary>
/// <remarks>
/// A warm host's broker listens from the host's start but serves nothing until a login has handed the host its
/// session (<see cref="Bind"/>); a cold host's is bound at once.
/// </remarks>
internal sealed class SessionBroker : IAsyncDisposable
{
    public const int MaxRequestsInFlight = 4;

    public static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _listener;
    private readonly Guid _sessionId;
    private readonly IBrokerHandler _handler;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;
    private BrokerPeerPolicy? _policy;
    private SessionIdentity? _session;
    private int _inFlight;

    private SessionBroker(Socket listener, string path, uint hostUid, Guid sessionId, IBrokerHandler handler, ILogger logger)
    {
        _listener = listener;
        Path = path;
        HostUid = hostUid;
        _sessionId = sessionId;
        _handler = handler;
        _logger = logger;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The socket's path, which the host finds in its environment (<see cref="BrokerSocket.Variable"/>).</summary>
    public string Path { get; }

    /// <summary>The user id the session's host runs as, the only one whose connections are served.</summary>
    public uint HostUid { get; }

    /// <summary>
    /// Makes the session's socket (<see cref="BrokerSocketPath"/>), reachable by the host's account only
    /// (<paramref name="access"/>; null: the host runs as the gateway's own account), and starts listening on it.
    /// </summary>
    public static SessionBroker Listen(string path, Guid sessionId, IBrokerHandler handler, ILogger logger, BrokerSocketAccess? access = null)
    {
        BrokerSocketPath.Prepare(path, access);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            BrokerSocketPath.Restrict(path, access);
            listener.Listen(MaxRequestsInFlight * 2);
        }
        catch
        {
            listener.Dispose();
            BrokerSocketPath.Delete(path);
            throw;
        }

        return new SessionBroker(listener, path, access?.HostUid ?? BrokerPeerPolicy.SessionHostUid(), sessionId, handler, logger);
    }

    /// <summary>From now on, connections whose peer <paramref name="policy"/> admits are served; before, none is.</summary>
    public void AdmitHost(BrokerPeerPolicy policy) => Volatile.Write(ref _policy, policy);

    /// <summary>The session the requests act for, set once when the session starts (at the hand-over, for a warm host).</summary>
    public void Bind(SessionIdentity session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.SessionId != _sessionId)
        {
            throw new ArgumentException("A broker serves only the session its host was started for.", nameof(session));
        }

        if (Interlocked.CompareExchange(ref _session, session, null) is not null)
        {
            throw new InvalidOperationException("This broker already serves a session.");
        }
    }

    private async Task AcceptAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _listener.AcceptAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Task serving = ServeAsync(connection);
            _connections.TryAdd(serving, true);
            _ = serving.ContinueWith(done => _connections.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            PeerCredentials peer;
            try
            {
                peer = PeerCredentials.Of(connection);
            }
            catch (SocketException)
            {
                GatewayLog.BrokerPeerRefused(_logger, _sessionId, -1, uint.MaxValue);
                return;
            }

            if (Volatile.Read(ref _policy) is not { } policy || !policy.Admits(peer))
            {
                GatewayLog.BrokerPeerRefused(_logger, _sessionId, peer.Pid, peer.Uid);
                return;
            }

            await using var stream = new NetworkStream(connection, ownsSocket: false);
            if (Interlocked.Increment(ref _inFlight) > MaxRequestsInFlight)
            {
                Interlocked.Decrement(ref _inFlight);
                GatewayLog.BrokerBusy(_logger, _sessionId, MaxRequestsInFlight);

                // The request is read (and dropped) before the answer: a Unix socket closed with unread data is reset,
                // and the host would see a broken connection instead of "busy".
                if (await ReadRequestAsync(stream) is { } refused)
                {
                    refused.ClearSecrets();
                    await TrySendAsync(stream, BrokerFailures.Busy(MaxRequestsInFlight));
                }

                return;
            }

            try
            {
                await ServeRequestAsync(connection, stream, peer);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The host went away, or the session ended, while its request was read or answered: logged where it
                // was known what the request was; nothing else to do.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever else failed ends this connection only; the broker and the gateway go on serving.
                GatewayLog.BrokerFailed(_logger, _sessionId, "a request", e);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private async Task ServeRequestAsync(Socket connection, NetworkStream stream, PeerCredentials peer)
    {
        BrokerRequest? request = await ReadRequestAsync(stream);
        if (request is null)
        {
            return;
        }

        try
        {
            if (request.Validate() is { } problem)
            {
                GatewayLog.BrokerRequestRefused(_logger, _sessionId, $"{request.Describe()}: {problem}");
                await TrySendAsync(stream, BrokerFailures.Refused(problem));
                return;
            }

            if (Volatile.Read(ref _session) is not { } session)
            {
                GatewayLog.BrokerRequestRefused(_logger, _sessionId, $"{request.Describe()}: the host has no session yet");
                await TrySendAsync(stream, BrokerFailures.NotStarted());
                return;
            }

            GatewayLog.BrokerRequest(_logger, _sessionId, session.User, request.Describe(), peer.Pid);
            var elapsed = Stopwatch.StartNew();
            BrokerReply reply = await RunAsync(connection, stream, request, session);
            request.ClearSecrets();
            string outcome = reply is BrokerFailure failure ? failure.ErrorId : "Done";
            GatewayLog.BrokerOutcome(_logger, _sessionId, session.User, request.Describe(), outcome, elapsed.Elapsed.TotalMilliseconds);
            try
            {
                await BrokerFrames.WriteAsync(stream, BrokerFrames.Encode(reply), _stopping.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                GatewayLog.BrokerPeerGone(_logger, _sessionId, request.Describe(), outcome);
            }
        }
        finally
        {
            request.ClearSecrets();
        }
    }

    /// <summary>The request the connection carries; null (logged, answered when possible) for anything else.</summary>
    private async Task<BrokerRequest?> ReadRequestAsync(NetworkStream stream)
    {
        byte[]? payload = null;
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        reading.CancelAfter(RequestReadTimeout);
        try
        {
            payload = await BrokerFrames.ReadAsync(stream, BrokerFrames.MaxRequestBytes, reading.Token);
            if (payload is null)
            {
                GatewayLog.BrokerRequestRefused(_logger, _sessionId, "the connection closed before a request");
                return null;
            }

            return BrokerFrames.Decode<BrokerRequest>(payload);
        }
        catch (BrokerProtocolException e)
        {
            GatewayLog.BrokerRequestRefused(_logger, _sessionId, e.Message);
            await TrySendAsync(stream, BrokerFailures.Refused(e.Message));
            return null;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            GatewayLog.BrokerRequestRefused(_logger, _sessionId, $"no complete request within {RequestReadTimeout.TotalSeconds:0} s");
            return null;
        }
        finally
        {
            // The frame may hold a password: its bytes are not left for the collector.
            if (payload is not null)
            {
                Array.Clear(payload);
            }
        }
    }

    /// <summary>
    /// Runs the handler, cancelled when the request's time is up, the session ends, or the host goes away: the host
    /// sends nothing after its request, so a read that completes means it closed the connection (it was killed, or
    /// the operator pressed Ctrl+C).
    /// </summary>
    private async Task<BrokerReply> RunAsync(Socket connection, NetworkStream stream, BrokerRequest request, SessionIdentity session)
    {
        TimeSpan limit = _handler.TimeoutFor(request);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        work.CancelAfter(limit);
        using var watching = new CancellationTokenSource();
        var peerGone = new StrongBox<bool>();
        Task watch = WatchPeerAsync(connection, work, peerGone, watching.Token);
        var writeLock = new Lock();
        void Report(BrokerReply interim)
        {
            lock (writeLock)
            {
                // Interim replies come from the handler's thread, one at a time; synchronous writes keep their order.
                byte[] frame = BrokerFrames.Encode(interim);
                BrokerFrames.WriteAsync(stream, frame, work.Token).GetAwaiter().GetResult();
            }
        }

        try
        {
            return await Task.Run(() => _handler.HandleAsync(request, new BrokerCall(session, Report, work.Token)), CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException && work.IsCancellationRequested)
        {
            return _stopping.IsCancellationRequested || Volatile.Read(ref peerGone.Value) ? BrokerFailures.Cancelled() : BrokerFailures.TimedOut(limit);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A handler's fault ends this request only. Handlers put no secret in an exception's message.
            GatewayLog.BrokerFailed(_logger, _sessionId, request.Describe(), e);
            return BrokerFailures.Failed();
        }
        finally
        {
            await watching.CancelAsync();
            await watch;
        }
    }

    private static async Task WatchPeerAsync(Socket connection, CancellationTokenSource work, StrongBox<bool> gone, CancellationToken watching)
    {
        byte[] one = new byte[1];
        try
        {
            await connection.ReceiveAsync(one, SocketFlags.None, watching);
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        Volatile.Write(ref gone.Value, true);
        await work.CancelAsync();
    }

    private async Task TrySendAsync(NetworkStream stream, BrokerFailure failure)
    {
        try
        {
            using var sending = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            sending.CancelAfter(RequestReadTimeout);
            await BrokerFrames.WriteAsync(stream, BrokerFrames.Encode(failure), sending.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or does not read: the refusal is logged already.
        }
    }

    /// <summary>Stops listening, cancels the requests in progress, waits for them, and removes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting;
        await Task.WhenAll(_connections.Keys);
        BrokerSocketPath.Delete(Path);
        _stopping.Dispose();
    }
}
