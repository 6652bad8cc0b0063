using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Transcripts;
using Pep.SessionModule.Broker;
using Pep.SessionModule.Transcripts;

namespace Pep.SessionModule.Session;

/// <summary>
/// Base of every endpoint cmdlet: a cancellation token that Ctrl+C (StopProcessing) cancels, and the
/// session's identity as the gateway established it.
/// </summary>
public abstract class EndpointCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <summary>This session: who, where, and the deployment it belongs to.</summary>
    protected static EndpointSession Session => EndpointSession.Current;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>The deployment's settings, read fresh; a terminating StampConfigurationUnreadable error when they cannot be read.</summary>
    protected DeploymentConfig LoadDeployment()
    {
        try
        {
            return Session.LoadConfig();
        }
        catch (DeploymentException e)
        {
            Fail("StampConfigurationUnreadable", ErrorCategory.ReadError, Session.Layout.ConfigFile, e.Message, e);
            throw;
        }
    }

    /// <summary>
    /// Asks the session's gateway to do privileged work (the broker): its progress, warnings and verbose lines are
    /// written as this cmdlet's own (<paramref name="progressActivity"/> and <paramref name="progressId"/> name the
    /// progress), its failure ends this cmdlet with the gateway's error id, category, message and target. Ctrl+C closes
    /// the request, which tells the gateway to stop it, and stops the pipeline (<paramref name="stoppedNote"/> goes to
    /// the session's stream log). The request's secrets are wiped afterwards.
    /// </summary>
    protected TReply Ask<TReply>(BrokerRequest request, string? progressActivity = null, int progressId = 1, string? stoppedNote = null)
        where TReply : BrokerReply
    {
        ArgumentNullException.ThrowIfNull(request);
        string activity = progressActivity ?? MyInvocation.MyCommand.Name;
        BrokerReply reply;
        try
        {
            reply = BrokerClient.Call(request, interim => WriteInterim(interim, activity, progressId), Cancellation);
        }
        catch (BrokerUnavailableException e)
        {
            Fail("EndpointBrokerUnavailable", ErrorCategory.ResourceUnavailable, null, e.Message, e);
            throw;
        }
        catch (OperationCanceledException)
        {
            Record("stopped", stoppedNote ?? "Stopped by the operator; the endpoint stops what it was doing for it.");
            throw new PipelineStoppedException();
        }
        finally
        {
            request.ClearSecrets();
        }

        if (reply is BrokerFailure failure)
        {
            Fail(failure.ErrorId, Enum.Parse<ErrorCategory>(failure.Category.ToString()), failure.Target, failure.Message);
        }

        if (reply is not TReply typed)
        {
            Fail("EndpointReplyUnexpected", ErrorCategory.InvalidResult, null, $"The endpoint answered {request.Describe()} with {reply.GetType().Name}.");
            throw new UnreachableException();
        }

        return typed;
    }

    /// <summary>
    /// Asks the gateway to start a tracked action (<paramref name="request"/>), then follows it until it ends: the
    /// action's progress, warnings and verbose lines are written as this cmdlet's own, its failure ends this cmdlet as
    /// <see cref="Ask{TReply}"/> does, and its result is returned. Each follow request returns within a few seconds, so
    /// the cmdlet is never blocked on one long connection. Ctrl+C stops following, not the action: the gateway holds it,
    /// and Get-ActionStatus reports how it ends.
    /// </summary>
    protected TReply RunAction<TReply>(BrokerRequest request, string activity, int progressId)
        where TReply : BrokerReply
        => FollowAction<TReply>(StartAction(request, activity, progressId), activity, progressId);

    /// <summary>Asks the gateway to start a tracked action and returns at once with what it started (its id and first record).</summary>
    protected ActionStartedReply StartAction(BrokerRequest request, string activity, int progressId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ActionStartedReply started = Ask<ActionStartedReply>(request, activity, progressId);
        string function = MyInvocation.MyCommand.Name;
        Verbose($"{function} runs at the endpoint as action {started.ActionId}; Get-ActionStatus -FunctionName {function} reports it.");
        return started;
    }

    /// <summary>Follows an action this session started until it ends, and returns its result (see <see cref="RunAction{TReply}"/>).</summary>
    protected TReply FollowAction<TReply>(ActionStartedReply started, string activity, int progressId)
        where TReply : BrokerReply
    {
        ArgumentNullException.ThrowIfNull(started);
        string function = MyInvocation.MyCommand.Name;
        string stopped = $"Stopped following action {started.ActionId}; it goes on at the endpoint: Get-ActionStatus -FunctionName {function} reports how it ends.";
        while (true)
        {
            BrokerReply reply = Ask<BrokerReply>(new FollowActionRequest(started.ActionId), activity, progressId, stopped);
            if (reply is ActionRunningReply)
            {
                continue;
            }

            if (reply is not TReply typed)
            {
                Fail("EndpointReplyUnexpected", ErrorCategory.InvalidResult, null, $"The endpoint ended action {started.ActionId} with {reply.GetType().Name}.");
                throw new UnreachableException();
            }

            return typed;
        }
    }

    private void WriteInterim(BrokerReply interim, string activity, int progressId)
    {
        switch (interim)
        {
            case BrokerProgress progress:
                Progress(new ProgressRecord(progressId, activity, progress.Status) { PercentComplete = progress.PercentComplete, SecondsRemaining = progress.SecondsRemaining });
                break;
            case BrokerWarning warning:
                Warn(warning.Message);
                break;
            case BrokerVerbose verbose:
                Verbose(verbose.Message);
                break;
        }
    }

    /// <summary>
    /// Records the command and its parameters before it runs: PowerShell's transcript of a remote session
    /// writes a command's invocation line only once the command has finished. Secrets show as what they are,
    /// never their value.
    /// </summary>
    protected override void BeginProcessing()
    {
        var parameters = MyInvocation.BoundParameters.Select(p => $"-{p.Key} {Describe(p.Value)}");
        Record("start", string.Join(' ', parameters));
        if (SessionSeal.IsSealed)
        {
            // The live folder is sealed already: the line above is sealed as a further entry when the session ends, and
            // the gateway's log keeps the attempt at once (the command's name only: it carries nothing a user typed).
            HostSignalWriter.Send(HostSignals.Problem(Session.Identity.SessionId, HostProblem.CommandAfterClose,
                $"{MyInvocation.MyCommand.Name} refused: Close-PrivilegedEndpoint had sealed the session"));
            Fail("SessionSealedByClose", ErrorCategory.InvalidOperation, MyInvocation.MyCommand.Name,
                "Close-PrivilegedEndpoint has sealed this session's transcript: no further command of this session runs. Open a new session.");
        }
    }

    private static string Describe(object? value) => value switch
    {
        null => "$null",
        System.Security.SecureString => "(SecureString)",
        PSCredential credential => $"(PSCredential for {credential.UserName})",
        string text => "'" + (text.Length > 256 ? text[..256] + "..." : text) + "'",
        _ => value.ToString() is { Length: > 256 } long_ ? long_[..256] + "..." : value.ToString() ?? "",
    };

    /// <summary>Ends the command with an error record: a specific id, the right category and the offending value.</summary>
    [DoesNotReturn]
    protected void Fail(string errorId, ErrorCategory category, object? target, string message, Exception? inner = null)
    {
        Record("error", $"{errorId}: {message}");
        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target));
        throw new UnreachableException("ThrowTerminatingError returned.");
    }

    /// <summary>Write-Error that also reaches the transcript with -ErrorAction Ignore or SilentlyContinue.</summary>
    protected void ReportError(ErrorRecord error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Record("error", $"{error.FullyQualifiedErrorId}: {error.Exception.Message}");
        WriteError(error);
    }

    /// <summary>Write-Warning that also reaches the transcript when the caller silences warnings.</summary>
    protected void Warn(string message)
    {
        Record("warning", message);
        WriteWarning(message);
    }

    /// <summary>Write-Verbose that is on disk at once, while a long command still runs.</summary>
    protected void Verbose(string message)
    {
        Record("verbose", message);
        WriteVerbose(message);
    }

    /// <summary>
    /// Appends to the session's endpoint stream log (see <see cref="EndpointStreamLog"/>). PowerShell's
    /// transcript leaves out what -ErrorAction Ignore or a preference suppresses and writes a command's output
    /// as it goes only in an interactive host; this log has every record of the endpoint's cmdlets at once.
    /// A record that cannot be written refuses the action (EndpointStreamLogUnavailable) instead of being dropped.
    /// </summary>
    protected void Record(string stream, string message)
    {
        try
        {
            SessionStreamLog.Append(stream, MyInvocation.MyCommand.Name, message);
        }
        catch (StreamLogUnavailableException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "EndpointStreamLogUnavailable", ErrorCategory.WriteError, EndpointStreamLog.FileName));
        }
    }

    /// <summary>Write-Progress that also reaches the endpoint's stream log when the caller silences progress.</summary>
    protected void Progress(ProgressRecord progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Record("progress", progress.RecordType == ProgressRecordType.Completed
            ? $"{progress.Activity}: completed"
            : $"{progress.Activity}: {progress.StatusDescription}{(progress.PercentComplete >= 0 ? $" ({progress.PercentComplete}%)" : "")}");
        WriteProgress(progress);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
