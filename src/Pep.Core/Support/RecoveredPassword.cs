using Pep.Core.Accounts;

namespace Pep.Core.Support;

/// <summary>What an accepted recovery response lets the gateway do: set this verifier (committed in the token) on this account.</summary>
public sealed record RecoveredPassword(Guid RecoveryId, string Account, string RequestHash, PasswordVerifier Verifier);
