using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security;
using System.Security.Cryptography;
using Pep.Core.Contracts;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;
using Pep.Core.Shares;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Broker;

/// <summary>
/// Close-PrivilegedEndpoint's work, done in the gateway, which alone reads the instance key and writes the ledger:
/// checks the destination and the share credential, then, holding the instance's delivery lock, waits (bounded) for
/// ended sessions to be sealed, seals this session (the socket's) up to the Close, delivers it and every pending
/// transcript with the ledger, reads each copy back, and only then removes the local copies. Progress, warnings and
/// verbose lines go to the cmdlet as they happen; any failure leaves everything local in place and the session open.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "The work folder is built from the state directory, the instance and server-made GUIDs; the destination is checked by DestinationFactory against the deployment's allowed roots and destinations.")]
internal sealed class CloseRequests(StateLayout layout, TimeProvider time)
{
    private static readonly TimeSpan DeliveryLockTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How long a Close waits for sessions that have ended to be sealed (normally well under a second).</summary>
    private static readonly TimeSpan EndedSessionWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EndedSessionPoll = TimeSpan.FromMilliseconds(50);

    public BrokerReply Close(CloseSessionRequest request, BrokerCall call)
    {
        DeploymentConfig config;
        try
        {
            config = DeploymentConfig.Load(layout.ConfigFile);
        }
        catch (DeploymentException e)
        {
            return Failure("StampConfigurationUnreadable", BrokerErrorCategory.ReadError, layout.ConfigFile, e.Message);
        }

        string work = Path.Combine(layout.RuntimeDirectory(call.Session.Instance), $"close-{call.Session.SessionId:N}-{Guid.NewGuid():N}");
        PrivateDirectory.Create(work);
        try
        {
            using SecureString? password = SecureStrings.FromUtf8(request.SharePassword);
            ITranscriptDestination destination;
            try
            {
                destination = DestinationFactory.Create(request.Destination, request.ShareUser, password, config.Transcripts, work);
            }
            catch (DestinationException e)
            {
                return DestinationFailure(e, request.Destination);
            }

            using (destination)
            {
                try
                {
                    call.Report(new BrokerVerbose($"Checking the destination {destination.Display}."));
                    destination.Prepare(call.Cancellation);
                }
                catch (DestinationException e)
                {
                    return DestinationFailure(e, request.Destination);
                }
                catch (OperationCanceledException)
                {
                    return Cancelled(request.Destination);
                }

                return Deliver(destination, work, call);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private BrokerReply Deliver(ITranscriptDestination destination, string work, BrokerCall call)
    {
        var store = new TranscriptStore(layout, call.Session.Instance, time);
        Guid sessionId = call.Session.SessionId;
        FileLock delivery;
        try
        {
            call.Report(new BrokerVerbose("Waiting for any other Close on this instance to finish."));
            delivery = FileLock.Acquire(store.DeliveryLockPath, DeliveryLockTimeout, call.Cancellation);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or UnauthorizedAccessException)
        {
            return Failure("TranscriptDeliveryBusy", BrokerErrorCategory.ResourceBusy, destination.Display, $"{e.Message} The session stays open; try again.");
        }

        using (delivery)
        {
            try
            {
                WaitForEndedSessions(store, sessionId, call);
            }
            catch (OperationCanceledException)
            {
                return Cancelled(destination.Display);
            }

            DeliverySnapshot snapshot;
            try
            {
                using SigningKey key = store.LoadInstanceKey();
                call.Report(new BrokerVerbose("Sealing this session's transcript."));
                snapshot = store.SealForClose(sessionId, SessionEndReason.Closed, key, destination.Display);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidDataException or CryptographicException)
            {
                return Failure("TranscriptSealFailed", BrokerErrorCategory.WriteError, store.Directory, $"This session's transcript could not be sealed: {e.Message} The session stays open.");
            }

            try
            {
                TranscriptDelivery.Deliver(snapshot, destination, work, (done, total, file) => call.Report(Copying(done, total, file)),
                    warning => call.Report(new BrokerWarning(warning)), call.Cancellation);
                call.Report(new BrokerVerbose($"All {snapshot.Transcripts.Count} transcripts and the ledger were copied and read back; removing the local copies."));
                TranscriptStore.RemoveDelivered(snapshot.Transcripts);
                store.ConfirmClosed(sessionId);
            }
            catch (Exception e) when (e is DestinationException or OperationCanceledException or IOException or UnauthorizedAccessException)
            {
                store.ReopenAfterFailedClose(sessionId);
                return e is DestinationException destinationFailure
                    ? DestinationFailure(destinationFailure, destination.Display)
                    : Failure("TranscriptTransferFailed", BrokerErrorCategory.WriteError, destination.Display,
                        $"The transcripts could not be moved to {destination.Display}: {e.Message} Nothing was removed from the endpoint; the session stays open.");
            }

            return new CloseReply(call.Session.Instance, destination.Display, [.. snapshot.Transcripts.Select(t => t.Entry.File)], [.. snapshot.Unsealed.Select(Unsealed)]);
        }
    }

    /// <summary>
    /// Sessions of this instance that have ended are sealed by the gateway within moments: waits for them, so that this
    /// Close takes them too instead of leaving them for a later one. Bounded: a gateway that does not seal them (it is
    /// stopping, or their host does not exit) does not hold the Close; they are named in its result.
    /// </summary>
    private static void WaitForEndedSessions(TranscriptStore store, Guid sessionId, BrokerCall call)
    {
        var waited = Stopwatch.StartNew();
        while (store.UnsealedSessions(sessionId).Where(s => s.State == LiveSessionState.Ended).Select(s => s.SessionId).ToList() is { Count: > 0 } ended
               && waited.Elapsed < EndedSessionWait)
        {
            call.Report(new BrokerProgress($"Waiting for {ended.Count} ended session(s) to be sealed: {string.Join(", ", ended)}", -1,
                (int)Math.Ceiling((EndedSessionWait - waited.Elapsed).TotalSeconds)));
            if (call.Cancellation.WaitHandle.WaitOne(EndedSessionPoll))
            {
                throw new OperationCanceledException(call.Cancellation);
            }
        }
    }

    private static BrokerProgress Copying(int done, int total, string file)
        => new($"Copying {file} ({done + 1} of {total})", total == 0 ? 100 : done * 100 / total, -1);

    private static UnsealedSession Unsealed(LiveSession session)
        => new(session.Header.SessionId, session.Header.User, session.Header.ClientAddress, session.Header.StartedUtc,
            session.State == LiveSessionState.Open ? "Open" : "EndedNotSealed");

    /// <summary>Every destination failure ends the command with an id that says which, and the session open.</summary>
    private static BrokerFailure DestinationFailure(DestinationException e, string target)
    {
        (string id, BrokerErrorCategory category) = e.Failure switch
        {
            Core.Shares.DestinationFailure.NotAllowed => ("TranscriptsPathDestinationNotAllowed", BrokerErrorCategory.PermissionDenied),
            Core.Shares.DestinationFailure.AccessDenied => ("TranscriptsShareAccessDenied", BrokerErrorCategory.AuthenticationError),
            Core.Shares.DestinationFailure.Unreachable => ("TranscriptsShareUnreachable", BrokerErrorCategory.ConnectionError),
            Core.Shares.DestinationFailure.VerificationFailed => ("TranscriptCopyMismatch", BrokerErrorCategory.InvalidData),
            _ => ("TranscriptTransferFailed", BrokerErrorCategory.WriteError),
        };
        return Failure(id, category, target, $"{e.Message} Nothing was removed from the endpoint; the session stays open.");
    }

    private static BrokerFailure Cancelled(string target)
        => Failure("CloseCancelled", BrokerErrorCategory.OperationStopped, target, "Close-PrivilegedEndpoint was stopped before anything was copied. The session stays open.");

    private static BrokerFailure Failure(string id, BrokerErrorCategory category, string? target, string message) => new(id, category, message, target);
}
