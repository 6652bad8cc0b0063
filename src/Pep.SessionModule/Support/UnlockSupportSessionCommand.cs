using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Support;

namespace Pep.SessionModule.Support;

/// <summary>
/// Unlock-SupportSession: the last step of break the glass. Checks the vendor's response token against this
/// session's pending request and, if it answers it, makes this session a full PowerShell session until the
/// granted time runs out, when the gateway ends the session and everything it started. A refused token leaves the
/// session locked; the refusal is an error record in the transcript and a line in support.log. Nothing is elevated
/// that support.log and the gateway do not know of.
/// </summary>
[Cmdlet(VerbsCommon.Unlock, "SupportSession", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SupportSessionInfo))]
public sealed class UnlockSupportSessionCommand : SupportCmdlet
{
    /// <summary>The response token from the vendor. Not a secret of the operator: it works once, in this session only.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, SupportTokenText.MaxTextLength)]
    public string ResponseToken { get; set; } = "";

    protected override void EndProcessing()
    {
        SupportSession session = RequireSupport();
        if (!ShouldProcess("this privileged endpoint session", "Elevate to a full PowerShell session"))
        {
            return;
        }

        // Recorded before the response is even read: a support.log that cannot be written refuses the unlock with
        // the response unused.
        RecordOrFail("unlockAttempt", new { user = Session.Identity.User });
        SupportElevation elevation;
        try
        {
            elevation = session.Unlock(ResponseToken, Session.Identity.User);
        }
        catch (SupportTokenException e)
        {
            RecordOrFail("unlockRefused", new { failure = e.Failure.ToString(), user = Session.Identity.User });
            Fail("SupportToken" + e.Failure, CategoryOf(e.Failure), nameof(ResponseToken), e.Message, e);
            return;
        }

        // The engine's own session state ($ExecutionContext), not this cmdlet's: see SessionRestrictions.
        if (SessionState.PSVariable.GetValue("ExecutionContext") is not EngineIntrinsics engine)
        {
            session.Lock(SupportLockReason.SessionEnded);
            Fail("SupportSessionEngineUnavailable", ErrorCategory.InvalidOperation, null, "The session's engine could not be reached; the session stays locked.");
            return;
        }

        // On the pipeline thread the default runspace is this session's runspace. Recorded in support.log and handed to
        // the gateway (which ends the session when the time is up) before anything opens.
        try
        {
            Support.Elevate(engine.SessionState, Runspace.DefaultRunspace.InitialSessionState, elevation);
        }
        catch (SupportRecordException e)
        {
            FailUnrecorded(e);
        }

        // Also in the endpoint's stream log, so that -WarningAction Ignore cannot keep it out of the record.
        Warn(string.Create(CultureInfo.InvariantCulture,
            $"SUPPORT SESSION ELEVATED by {elevation.UnlockedBy} at {elevation.ElevatedSinceUtc:u} until {elevation.ElevatedUntilUtc:u} at the latest: this is now a full PowerShell session running as this session's own operating-system account. Everything is transcribed. When the time is up the endpoint ends this session and everything it started; a new session is restricted. Close-PrivilegedEndpoint ends it earlier."));
        WriteObject(SupportSessionInfo.From(session.GetStatus(), Support.AuthorityKeyId));
    }

    private static ErrorCategory CategoryOf(SupportTokenFailure failure) => failure switch
    {
        SupportTokenFailure.Invalid => ErrorCategory.SecurityError,
        SupportTokenFailure.Expired => ErrorCategory.OperationTimeout,
        SupportTokenFailure.NoPendingRequest or SupportTokenFailure.AlreadyElevated => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.InvalidData,
    };
}
