namespace Pep.SessionModule.Accounts;

/// <summary>What Complete-CloudAdminPasswordRecovery changed: the account, and the recovery whose committed password it now has.</summary>
public sealed record PasswordRecoveryResult(string Account, Guid RecoveryId);
