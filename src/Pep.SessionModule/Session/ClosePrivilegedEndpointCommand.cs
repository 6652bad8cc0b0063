using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Security;
using Pep.Core.Shares;
using Pep.Core.Transcripts;

namespace Pep.SessionModule.Session;

/// <summary>
/// Close-PrivilegedEndpoint: waits (bounded) for the sessions of this instance that have ended to be sealed, seals
/// this session's transcript, moves it and every transcript still pending on this instance (sessions left with
/// Remove-PSSession, lost clients, crashes) to a file share with the ledger that seals them, names the sessions
/// still open, and ends the session. On any failure the session stays open and nothing local is removed.
/// </summary>
/// <remarks>
/// Order: the destination and credential are checked first; then, holding the instance's delivery lock,
/// this session is sealed up to this command and the pending set is fixed; each file is copied under a
/// temporary name, read back, compared by SHA-256 and renamed; only after all of them are local copies
/// removed. The original does not prompt for confirmation, and neither does this.
/// </remarks>
[Cmdlet(VerbsCommon.Close, "PrivilegedEndpoint")]
[OutputType(typeof(ClosePrivilegedEndpointResult))]
public sealed class ClosePrivilegedEndpointCommand : EndpointCmdlet
{
    private const int ProgressId = 1;
    private const string Activity = "Close-PrivilegedEndpoint";
    private static readonly TimeSpan DeliveryLockTimeout = TimeSpan.FromMinutes(30);

    /// <summary>How long a Close waits for sessions that have ended to be sealed (normally well under a second).</summary>
    private static readonly TimeSpan EndedSessionWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan EndedSessionPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>The file share (<c>\\host\share\folder</c>) or, where the deployment allows it, a local folder.</summary>
    [Parameter(Position = 0)]
    public string? TranscriptsPathDestination { get; set; }

    /// <summary>The account that may write to the share.</summary>
    [Parameter(Position = 1)]
    [Credential]
    public PSCredential? Credential { get; set; }

    protected override void EndProcessing()
    {
        if (string.IsNullOrWhiteSpace(TranscriptsPathDestination))
        {
            Fail("TranscriptsPathDestinationRequired", ErrorCategory.InvalidArgument, null,
                @"Close-PrivilegedEndpoint needs -TranscriptsPathDestination (\\fileshareIP\SharedFolder) and -Credential: the transcripts must leave the endpoint before the session closes. The session stays open.");
            return;
        }

        DeploymentConfig config = LoadDeployment();

        string work = Path.Combine(Session.Layout.RuntimeDirectory(Session.Identity.Instance), $"close-{Session.Identity.SessionId:N}-{Guid.NewGuid():N}");
        PrivateDirectory.Create(work);
        try
        {
            using ITranscriptDestination destination = OpenDestination(config, work);
            Close(destination, work);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private ITranscriptDestination OpenDestination(DeploymentConfig config, string work)
    {
        string requested = TranscriptsPathDestination!;
        ITranscriptDestination? destination = null;
        try
        {
            destination = DestinationFactory.Create(requested, Credential?.UserName, Credential?.Password, config.Transcripts, work);
            Verbose($"Checking the destination {destination.Display}.");
            destination.Prepare(Cancellation);
            return destination;
        }
        catch (DestinationException e)
        {
            destination?.Dispose();
            FailDestination(e, requested);
            throw;
        }
        catch (OperationCanceledException e)
        {
            destination?.Dispose();
            Fail("CloseCancelled", ErrorCategory.OperationStopped, requested, "Close-PrivilegedEndpoint was stopped before anything was copied. The session stays open.", e);
            throw;
        }
    }

    private void Close(ITranscriptDestination destination, string work)
    {
        var store = new TranscriptStore(Session.Layout, Session.Identity.Instance, TimeProvider.System);
        Guid sessionId = Session.Identity.SessionId;
        FileLock delivery;
        try
        {
            Verbose("Waiting for any other Close on this instance to finish.");
            delivery = FileLock.Acquire(store.DeliveryLockPath, DeliveryLockTimeout, Cancellation);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or UnauthorizedAccessException)
        {
            Fail("TranscriptDeliveryBusy", ErrorCategory.ResourceBusy, destination.Display, $"{e.Message} The session stays open; try again.", e);
            return;
        }

        using (delivery)
        {
            try
            {
                WaitForEndedSessions(store, sessionId);
            }
            catch (OperationCanceledException e)
            {
                Fail("CloseCancelled", ErrorCategory.OperationStopped, destination.Display, "Close-PrivilegedEndpoint was stopped before anything was copied. The session stays open.", e);
                return;
            }

            DeliverySnapshot snapshot;
            try
            {
                using SigningKey key = store.LoadInstanceKey();
                Verbose("Sealing this session's transcript.");
                snapshot = store.SealForClose(sessionId, SessionEndReason.Closed, key, destination.Display);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or TimeoutException or InvalidDataException or System.Security.Cryptography.CryptographicException)
            {
                Fail("TranscriptSealFailed", ErrorCategory.WriteError, store.Directory, $"This session's transcript could not be sealed: {e.Message} The session stays open.", e);
                return;
            }

            try
            {
                TranscriptDelivery.Deliver(snapshot, destination, work, Progress, Warn, Cancellation);
                Verbose($"All {snapshot.Transcripts.Count} transcripts and the ledger were copied and read back; removing the local copies.");
                TranscriptStore.RemoveDelivered(snapshot.Transcripts);
                store.ConfirmClosed(sessionId);
            }
            catch (Exception e) when (e is DestinationException or OperationCanceledException or IOException or UnauthorizedAccessException)
            {
                store.ReopenAfterFailedClose(sessionId);
                if (e is DestinationException destinationFailure)
                {
                    FailDestination(destinationFailure, destination.Display);
                }

                Fail("TranscriptTransferFailed", ErrorCategory.WriteError, destination.Display,
                    $"The transcripts could not be moved to {destination.Display}: {e.Message} Nothing was removed from the endpoint; the session stays open.", e);
                return;
            }
            finally
            {
                Progress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
            }

            ReportDelivered(snapshot, destination.Display);
        }

        // Nothing after Close: the rest of this invocation and any later command is refused.
        SessionSeal.Seal();
        if (SessionState.PSVariable.GetValue("ExecutionContext") is EngineIntrinsics engine)
        {
            Support.SessionRestrictions.Shut(engine.SessionState, MyInvocation.MyCommand.ModuleName);
        }

        SessionCloser.EndAfterCurrentCommand(Runspace.DefaultRunspace, Session.Identity.SessionId);

        // What `exit` does in a remote session: an operator in Enter-PSSession is back at the local prompt at once
        // (Invoke-Command ignores it); the endpoint closes the session right after.
        Host.SetShouldExit(0);
    }

    /// <summary>
    /// Sessions of this instance that have ended are sealed by the gateway within moments: waits for them, so that this
    /// Close takes them too instead of leaving them for a later one. Bounded: a gateway that does not seal them (it is
    /// stopping, or their host does not exit) does not hold the Close; they are named in its result.
    /// </summary>
    private void WaitForEndedSessions(TranscriptStore store, Guid sessionId)
    {
        var waited = Stopwatch.StartNew();
        while (store.UnsealedSessions(sessionId).Where(s => s.State == LiveSessionState.Ended).Select(s => s.SessionId).ToList() is { Count: > 0 } ended
               && waited.Elapsed < EndedSessionWait)
        {
            Progress(new ProgressRecord(ProgressId, Activity, $"Waiting for {ended.Count} ended session(s) to be sealed: {string.Join(", ", ended)}")
            {
                SecondsRemaining = (int)Math.Ceiling((EndedSessionWait - waited.Elapsed).TotalSeconds),
            });
            if (Cancellation.WaitHandle.WaitOne(EndedSessionPoll))
            {
                throw new OperationCanceledException(Cancellation);
            }
        }
    }

    /// <summary>The result lists what was moved and names the sessions whose transcripts a later Close takes.</summary>
    private void ReportDelivered(DeliverySnapshot snapshot, string destination)
    {
        string instance = Session.Identity.Instance;
        List<UndeliveredSession> stillOpen = [.. snapshot.Unsealed.Select(UndeliveredSession.From)];
        string message = $"{snapshot.Transcripts.Count} transcript(s) and the ledger of {instance} were moved to {destination}. The session is closed.";
        if (stillOpen.Count > 0)
        {
            message += $" {stillOpen.Count} other session(s) on {instance} are not finished; a later Close takes their transcripts: {string.Join("; ", stillOpen)}.";
        }

        WriteInformation(new HostInformationMessage { Message = message }, ["PSHOST"]);
        WriteObject(new ClosePrivilegedEndpointResult(instance, destination, [.. snapshot.Transcripts.Select(t => t.Entry.File)], stillOpen));
    }

    private void Progress(int done, int total, string file)
        => Progress(new ProgressRecord(ProgressId, Activity, $"Copying {file} ({done + 1} of {total})")
        {
            PercentComplete = total == 0 ? 100 : done * 100 / total,
        });

    /// <summary>Every destination failure ends the command with an id that says which, and the session open.</summary>
    private void FailDestination(DestinationException e, string target)
    {
        (string id, ErrorCategory category) = e.Failure switch
        {
            DestinationFailure.NotAllowed => ("TranscriptsPathDestinationNotAllowed", ErrorCategory.PermissionDenied),
            DestinationFailure.AccessDenied => ("TranscriptsShareAccessDenied", ErrorCategory.AuthenticationError),
            DestinationFailure.Unreachable => ("TranscriptsShareUnreachable", ErrorCategory.ConnectionError),
            DestinationFailure.VerificationFailed => ("TranscriptCopyMismatch", ErrorCategory.InvalidData),
            _ => ("TranscriptTransferFailed", ErrorCategory.WriteError),
        };
        Fail(id, category, target, $"{e.Message} Nothing was removed from the endpoint; the session stays open.", e);
    }
}
