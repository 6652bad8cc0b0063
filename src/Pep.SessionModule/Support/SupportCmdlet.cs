using System.Globalization;
using Pep.Core.Support;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Support;

/// <summary>
/// Base of the break-the-glass cmdlets: before anything else it completes a due lock-back and tells the
/// operator about a lock-back that happened while the session was idle (the timer cannot write to a
/// pipeline; this warning is how it reaches the transcript).
/// </summary>
public abstract class SupportCmdlet : EndpointCmdlet
{
    internal static SupportSessionHost Support => SupportSessionHost.Current;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Support.EnsureLockedIfDue();
        if (Support.TakeUnannouncedLockBack() is { } lockBack)
        {
            WriteWarning(LockBackBanner(lockBack));
        }
    }

    internal static string LockBackBanner(SupportLockBack lockBack) => string.Create(CultureInfo.InvariantCulture,
        $"SUPPORT SESSION LOCKED BACK at {lockBack.LockedUtc:u} ({(lockBack.Reason == SupportLockReason.TimeRanOut ? "the granted time ran out" : "the session ended")}): this session is the restricted privileged endpoint again.");

    /// <summary>Ends the command when the deployment has no usable support authority.</summary>
    internal SupportSession RequireSupport()
    {
        if (Support.Session is { } session)
        {
            return session;
        }

        Fail("SupportAuthorityNotRegistered", System.Management.Automation.ErrorCategory.NotEnabled, null, Support.AuthorityProblem ?? "No support authority is registered.");
        throw new InvalidOperationException("unreachable");
    }
}
