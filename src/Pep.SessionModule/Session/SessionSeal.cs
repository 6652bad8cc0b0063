namespace Pep.SessionModule.Session;

/// <summary>
/// Whether Close-PrivilegedEndpoint has sealed this session: from then on no command of the session runs, in the
/// same invocation or later (issue 12, "Nothing after Close"). The endpoint's cmdlets refuse (and record the
/// attempt, which the gateway seals as a further entry); the session's commands are made private and the language
/// NoLanguage (<see cref="Support.SessionRestrictions.Shut"/>); the gateway stops relaying input once the host
/// asks it to close the session.
/// </summary>
internal static class SessionSeal
{
    private static volatile bool _sealed;

    public static bool IsSealed => _sealed;

    public static void Seal() => _sealed = true;
}
