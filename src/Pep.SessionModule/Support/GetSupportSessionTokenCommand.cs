using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Support;

namespace Pep.SessionModule.Support;

/// <summary>
/// Get-SupportSessionToken: the first step of break the glass. Makes a new one-time key pair in this session
/// host's memory and returns the request token (encrypted to the registered support authority) for the
/// operator to send to the vendor, once support.log and the gateway's audit log have it. A new request replaces the
/// previous one.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SupportSessionToken")]
[OutputType(typeof(string))]
public sealed class GetSupportSessionTokenCommand : SupportCmdlet
{
    protected override void EndProcessing()
    {
        SupportSession session = RequireSupport();
        SupportRequestToken request;
        try
        {
            request = session.CreateRequest();
        }
        catch (SupportTokenException e)
        {
            Fail("SupportSession" + e.Failure, ErrorCategory.InvalidOperation, null, e.Message, e);
            return;
        }

        // Unrecorded, the request is not shown, so no vendor can answer it (and Unlock records before it checks).
        try
        {
            Support.Log.Write("requestIssued", Support.Time.GetUtcNow(), new
            {
                supportSessionId = request.SupportSessionId,
                requestHash = request.RequestHash,
                expiresUtc = request.ExpiresUtc,
                user = Session.Identity.User,
            });
        }
        catch (SupportRecordException e)
        {
            FailUnrecorded(e);
        }

        // The gateway's audit log (forwarded to syslog) records the request too, out of the session's reach; a gateway
        // that cannot be told ends the command here, with the token unshown.
        Ask<DoneReply>(new SupportTokenIssuedRequest(request.SupportSessionId, request.RequestHash, request.ExpiresUtc.UtcDateTime));
        WriteObject(request.Text);
    }
}

