using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Gateway.Hosting;
using Pep.Gateway.Recording;
using Pep.Gateway.Relay;
using Pep.Gateway.SessionHosts;
using Pep.Gateway.Transcripts;

namespace Pep.Gateway.Login;

/// <summary>
/// A session's way once its login succeeded, the same whichever front door the client came through (HTTPS or SSH):
/// the transcript folder made, a host taken or started (<see cref="SessionHostPool"/>, <see cref="SessionHostLauncher"/>),
/// the session relayed (<see cref="SessionRelay"/>) and, whatever ended it, sealed (<see cref="TranscriptSealer"/>).
/// It counts the instance's open sessions for both doors (<see cref="GatewayLimits.MaxSessionsPerInstance"/>).
/// <paramref name="maxElevation"/>: the deployment's longest support elevation; the gateway ends an elevated session
/// after it at the latest. <paramref name="legalNotice"/> reads the stamp's legal notice, handed to the client with the
/// session (<see cref="LegalNoticeHeaders"/>).
/// </summary>
internal sealed class SessionStarter(
    GatewayOptions options, GatewayLimits limits, LoginAdmission admission, SessionHostLauncher launcher, SessionHostPool pool,
    TranscriptSealer transcripts, TimeSpan maxElevation, Func<LegalNotice> legalNotice, ILogger logger, CancellationToken stopping)
{
    private readonly Func<LegalNotice> _legalNotice = legalNotice;
    private readonly TimeSpan _maxElevation = maxElevation;
    private readonly GatewayOptions _options = options;
    private readonly GatewayLimits _limits = limits;
    private readonly LoginAdmission _admission = admission;
    private readonly SessionHostLauncher _launcher = launcher;
    private readonly SessionHostPool _pool = pool;
    private readonly TranscriptSealer _transcripts = transcripts;
    private readonly ILogger _logger = logger;
    private readonly CancellationToken _stopping = stopping;
    private int _sessions;

    public int ActiveSessions => Volatile.Read(ref _sessions);

    /// <summary>True when the instance has no session slot left.</summary>
    public bool IsFull => ActiveSessions >= _limits.MaxSessionsPerInstance;

    /// <summary>The refusal of a login when <see cref="IsFull"/>.</summary>
    public string FullMessage => $"Instance {_options.InstanceName} has {_limits.MaxSessionsPerInstance} sessions open, its limit. Try another instance or later.";

    /// <summary>Runs the session of <paramref name="qualifiedUser"/>, logged in from <paramref name="clientAddress"/>, until it ends and is sealed.</summary>
    public async Task RunAsync(ISessionClient client, string qualifiedUser, string clientAddress, HostCultures cultures, AdmissionDeadline admission)
    {
        if (!_transcripts.CanSeal())
        {
            await client.RefuseAsync(FailureKind.TranscriptionUnavailable,
                $"Instance {_options.InstanceName} cannot seal transcripts (its instance key cannot be read); it accepts no session until it can.");
            return;
        }

        // The pool starts the next warm host once this login is over (its first command answered), not beside it.
        var loginOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await RunWithPoolAsync(client, qualifiedUser, clientAddress, cultures, admission, loginOver);
        }
        finally
        {
            loginOver.TrySetResult();
        }
    }

    private async Task RunWithPoolAsync(ISessionClient client, string qualifiedUser, string clientAddress, HostCultures cultures, AdmissionDeadline admission, TaskCompletionSource loginOver)
    {
        WarmHost? warm = _pool.TryTake(cultures, loginOver.Task);
        var identity = new SessionIdentity(
            warm?.SessionId ?? Guid.NewGuid(), qualifiedUser, _options.InstanceName.ToUpperInvariant(), clientAddress,
            _options.Time.GetUtcNow(), _options.Layout.Root, cultures.Culture.Name, cultures.UICulture.Name);

        try
        {
            string folder = TranscriptFolder.Create(_options.Layout, identity);
            _launcher.GrantTranscriptFolder(identity.SessionId, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            if (warm is not null)
            {
                await _pool.DiscardAsync(warm);
            }
            else
            {
                _launcher.DeleteConfiguration(identity.SessionId);
            }

            if (e is InvalidOperationException)
            {
                // Every session account of the machine runs a host (SessionAccountSlots).
                await client.RefuseAsync(FailureKind.Busy, "The endpoint runs as many sessions as it has session accounts; try again later.");
                return;
            }

            await client.RefuseAsync(FailureKind.TranscriptionUnavailable,
                $"Instance {_options.InstanceName} cannot write transcripts ({e.GetType().Name}); it accepts no session until it can.");
            return;
        }

        Interlocked.Increment(ref _sessions);
        try
        {
            await RunSessionAsync(client, identity, warm, cultures, admission, loginOver);
        }
        finally
        {
            Interlocked.Decrement(ref _sessions);
        }
    }

    private async Task RunSessionAsync(ISessionClient client, SessionIdentity identity, WarmHost? warm, HostCultures cultures, AdmissionDeadline admission, TaskCompletionSource loginOver)
    {
        SessionHostProcess? host = warm is null ? null : await HandOverAsync(warm, identity);
        HostStartSlot? slot = null;
        if (host is null)
        {
            try
            {
                slot = await _admission.TakeHostStartSlotAsync(admission, client.Aborted);
            }
            catch (OperationCanceledException)
            {
                // The client left while it waited: there is no one to answer.
                _launcher.DeleteConfiguration(identity.SessionId);
                return;
            }

            if (slot is null)
            {
                _launcher.DeleteConfiguration(identity.SessionId);
                await client.RefuseAsync(FailureKind.Busy, "The endpoint is starting too many sessions at once; try again in a few seconds.");
                return;
            }
        }

        using HostStartSlot? held = slot;

        try
        {
            host ??= _launcher.StartCold(identity, cultures);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            GatewayLog.HostStartFailed(_logger, identity.SessionId, e);
            _launcher.DeleteConfiguration(identity.SessionId);
            await client.RefuseAsync(FailureKind.SessionHostFailed, "The session host could not be started; the endpoint's log has the details.");
            return;
        }

        SessionRecorder? recorder;
        try
        {
            recorder = _transcripts.StartRecord(identity.SessionId);
        }
        catch (IOException)
        {
            await host.DisposeAsync();
            _launcher.DeleteConfiguration(identity.SessionId);
            await client.RefuseAsync(FailureKind.TranscriptionUnavailable, $"Instance {_options.InstanceName} cannot write its record of the session; it accepts no session until it can.");
            return;
        }

        await using SessionRecorder? recording = recorder;
        SessionEndReason reason = SessionEndReason.RelayFailed;
        bool sealStarted = false;
        async Task<SessionEndReason> SealAsync(SessionEndReason ended)
        {
            sealStarted = true;
            return await _transcripts.SealAsync(identity, ended, recorder);
        }

        try
        {
            await using (host)
            {
                // A Close in another session tells by this record whether this session's host still runs.
                _transcripts.RecordHost(identity.SessionId, host.ProcessId);
                using (WebSocket socket = await client.AcceptAsync(LegalNoticeFor(client, recorder)))
                {
                    GatewayLog.SessionStarted(_logger, identity.SessionId, identity.User, identity.ClientAddress, host.ProcessId);
                    GatewayLog.SessionAnswered(_logger, identity.SessionId, admission.Elapsed.TotalMilliseconds, held is null ? "warm" : "cold");
                    // A cold host frees its start slot when it is ready; a warm one never held one.
                    Action? ready = held is { } starting ? () =>
                    {
                        GatewayLog.HostReady(_logger, identity.SessionId, starting.Elapsed.TotalMilliseconds);
                        starting.Dispose();
                    } : null;
                    using var relay = new SessionRelay(socket, host, _limits, identity.SessionId, _logger, ready, recorder, new ElevationDeadline(_options.Time, _maxElevation));
                    _ = relay.FirstCommandAnswered.ContinueWith(_ =>
                    {
                        GatewayLog.SessionUsable(_logger, identity.SessionId, admission.Elapsed.TotalMilliseconds);
                        loginOver.TrySetResult();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    reason = await relay.RunAsync(ended => _transcripts.MarkEnded(identity.SessionId, ended), SealAsync, client.Aborted, _stopping);
                }

                if (reason == SessionEndReason.HostExited)
                {
                    GatewayLog.HostExited(_logger, identity.SessionId, host.ExitCode);
                }
            }

            if (host.Cgroup is { Removed: false })
            {
                GatewayLog.CgroupNotEmptied(_logger, identity.SessionId);
            }
        }
        catch (Exception e)
        {
            // Whatever failed, the host is gone (disposed above) and its transcript must be sealed: an unsealed
            // transcript would wait for the next restart of the instance. The exception is logged, not rethrown.
            GatewayLog.RelayFailed(_logger, identity.SessionId, e);
        }

        // The relay sealed the transcript as soon as the host was gone; if it failed before, the host is gone now
        // (disposed above): its transcript is complete on disk and is sealed now, whatever ended the session.
        if (!sealStarted)
        {
            reason = await _transcripts.SealAsync(identity, reason, recorder);
        }

        GatewayLog.SessionEnded(_logger, identity.SessionId, reason);
        _launcher.DeleteConfiguration(identity.SessionId);
    }

    /// <summary>
    /// The legal notice to hand the client with its session, recorded in the gateway's record first; null (the client
    /// then asks for it with Get-AzSLegalNotice, which the session's transcript records) when the client shows none, the
    /// session has no gateway record to note it in, or the notice cannot be read.
    /// </summary>
    private LegalNotice? LegalNoticeFor(ISessionClient client, SessionRecorder? recorder)
    {
        if (!client.ShowsLegalNotice || recorder is null)
        {
            return null;
        }

        LegalNotice notice;
        try
        {
            notice = _legalNotice();
        }
        catch (Exception e) when (e is StampManifestException or StoreUnavailableException or IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (notice.Caption.Length > 0 || notice.Text.Length > 0)
        {
            recorder.NoteLegalNotice(notice.Caption, notice.Text);
        }

        return notice;
    }

    /// <summary>Gives the login to the warm host started for its session id; null when that host cannot take it.</summary>
    private async Task<SessionHostProcess?> HandOverAsync(WarmHost warm, SessionIdentity identity)
    {
        if (!warm.Process.HasExited)
        {
            try
            {
                _launcher.HandOver(warm.Process, identity);
                return warm.Process;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                GatewayLog.HandoverFailed(_logger, identity.SessionId, e);
            }
        }

        // A cold host for the same session id takes its place: same configuration, same transcript folder, and a broker
        // socket at the same path, so the warm host and its broker are gone first.
        await warm.Process.DisposeAsync();
        return null;
    }
}
