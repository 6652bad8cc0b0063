namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Remove-CloudAdminUser. With <see cref="CheckOnly"/> the gateway only checks that the account may be removed (it
/// exists, it is not the session's own), so the cmdlet can say so before it asks for confirmation.
/// </summary>
public sealed record RemoveAccountRequest(string UserName, bool CheckOnly) : BrokerRequest
{
    public override string Describe() => $"Remove-CloudAdminUser {Loggable(UserName)}{(CheckOnly ? " (check only)" : "")}";

    public override string? Validate() => CheckLength(UserName, nameof(UserName), 1, AccountLimits.MaxUserNameLength);
}
