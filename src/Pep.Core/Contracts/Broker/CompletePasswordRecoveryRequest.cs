namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Complete-CloudAdminPasswordRecovery: the support authority's signed response to this instance's waiting recovery.
/// With <see cref="CheckOnly"/> the gateway checks it and changes nothing (the response stays usable), so the cmdlet can
/// name the account before it asks for confirmation. Answered with <see cref="PasswordRecoveryReply"/>.
/// </summary>
public sealed record CompletePasswordRecoveryRequest(string ResponseToken, bool CheckOnly) : BrokerRequest
{
    /// <summary>As the support tokens' text bound (<c>SupportTokenText.MaxTextLength</c>).</summary>
    public const int MaxTokenLength = 32 * 1024;

    /// <summary>The token is not a secret (it works once, on one instance) but is long and says nothing: the log shows its length.</summary>
    public override string Describe() => $"Complete-CloudAdminPasswordRecovery (response of {ResponseToken.Length} characters){(CheckOnly ? " (check only)" : "")}";

    public override string? Validate() => CheckLength(ResponseToken, nameof(ResponseToken), 1, MaxTokenLength);
}
