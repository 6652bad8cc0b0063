namespace Pep.Gateway.Relay;

/// <summary>
/// The two packets of PowerShell's out-of-process transport (the one-line XML framing of <c>pwsh -s</c>) that the
/// gateway reads or writes itself, exactly as PowerShell writes them (verified on 7.6.9). Everything else it relays
/// without looking.
/// </summary>
internal static class OutOfProcessPackets
{
    /// <summary>Closes the whole session (the runspace pool), as a client's Remove-PSSession does.</summary>
    public const string CloseSession = "<Close PSGuid='00000000-0000-0000-0000-000000000000' />";

    /// <summary>The server's answer to <see cref="CloseSession"/>.</summary>
    public const string CloseSessionAck = "<CloseAck PSGuid='00000000-0000-0000-0000-000000000000' />";
}
