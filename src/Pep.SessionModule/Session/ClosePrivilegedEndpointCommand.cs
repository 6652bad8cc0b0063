using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;

namespace Pep.SessionModule.Session;

/// <summary>
/// Close-PrivilegedEndpoint: waits (bounded) for the sessions of this instance that have ended to be sealed, seals
/// this session's transcript, moves it and every transcript still pending on this instance (sessions left with
/// Remove-PSSession, lost clients, crashes) to a file share with the ledger that seals them, names the sessions
/// still open, and ends the session. On any failure the session stays open and nothing local is removed.
/// </summary>
/// <remarks>
/// The work is the gateway's (the broker's Close request), which alone holds the instance key and the ledger; this
/// cmdlet shows its progress, warnings and result. Order: the destination and credential are checked first; then,
/// holding the instance's delivery lock,
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

        // The gateway seals and delivers (the instance key and the ledger are its alone); the share credential goes to
        // it in the request and is wiped here once sent.
        byte[]? password = Credential is null ? null : SecretBytes.Utf8(Credential.Password);
        CloseReply closed;
        try
        {
            closed = Ask<CloseReply>(new CloseSessionRequest(TranscriptsPathDestination, Credential?.UserName, password), Activity);
        }
        finally
        {
            Progress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        ReportDelivered(closed);

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

    /// <summary>The result lists what was moved and names the sessions whose transcripts a later Close takes.</summary>
    private void ReportDelivered(CloseReply closed)
    {
        List<UndeliveredSession> stillOpen = [.. closed.StillOpen.Select(UndeliveredSession.From)];
        string message = $"{closed.Delivered.Length} transcript(s) and the ledger of {closed.Instance} were moved to {closed.Destination}. The session is closed.";
        if (stillOpen.Count > 0)
        {
            message += $" {stillOpen.Count} other session(s) on {closed.Instance} are not finished; a later Close takes their transcripts: {string.Join("; ", stillOpen)}.";
        }

        WriteInformation(new HostInformationMessage { Message = message }, ["PSHOST"]);
        WriteObject(new ClosePrivilegedEndpointResult(closed.Instance, closed.Destination, closed.Delivered, stillOpen));
    }
}
