using System.Management.Automation;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>Base of the break-the-glass cmdlets.</summary>
public abstract class SupportCmdlet : EndpointCmdlet
{
    internal static SupportSessionHost Support => SupportSessionHost.Current;

    /// <summary>Ends the command when the deployment has no usable support authority.</summary>
    internal SupportSession RequireSupport()
    {
        if (Support.Session is { } session)
        {
            return session;
        }

        Fail("SupportAuthorityNotRegistered", ErrorCategory.NotEnabled, null, Support.AuthorityProblem ?? "No support authority is registered.");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Writes a support.log line, or ends the command (SupportAuditLogUnavailable): a step that cannot be recorded does not happen.</summary>
    internal void RecordOrFail(string eventName, object details)
    {
        try
        {
            Support.Log.Write(eventName, Support.Time.GetUtcNow(), details);
        }
        catch (SupportRecordException e)
        {
            FailUnrecorded(e);
        }
    }

    /// <summary>Ends the command because its record could not be written.</summary>
    internal void FailUnrecorded(SupportRecordException e)
        => Fail("SupportAuditLogUnavailable", ErrorCategory.WriteError, SupportAuditLog.FileName, e.Message, e);
}
