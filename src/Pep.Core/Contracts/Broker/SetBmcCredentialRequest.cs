namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Set-BmcCredential: the BMC user (empty: each node keeps its current one) and its new password (UTF-8, wiped once used), and whether to change only the
/// stamp's stored copy (<see cref="BypassBmcUpdate"/>: the BMCs were changed already). Answered with
/// <see cref="BmcCredentialReply"/>, with progress per node.
/// </summary>
public sealed record SetBmcCredentialRequest(string BmcUser, byte[] BmcPassword, bool BypassBmcUpdate) : BrokerRequest
{
    public const int MaxUserLength = 64;
    public const int MaxPasswordBytes = 512;

    public override string Describe() => $"Set-BmcCredential{(BmcUser.Length > 0 ? " -BmcUser " + Loggable(BmcUser) : "")}{(BypassBmcUpdate ? " -BypassBMCUpdate" : "")}";

    public override string? Validate()
        => CheckLength(BmcUser, nameof(BmcUser), 0, MaxUserLength)
           ?? (BmcUser.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) ? "The BMC user may not contain spaces or control characters." : null)
           ?? CheckSecret(BmcPassword, nameof(BmcPassword), MaxPasswordBytes)
           ?? (BmcPassword.Any(b => b is (byte)'\n' or (byte)'\r' or 0) ? "The BMC password may not contain line breaks or NUL." : null);

    public override void ClearSecrets() => Array.Clear(BmcPassword);
}
