namespace Pep.SessionModule.Bmc;

/// <summary>Set-BmcCredential's outcome: the user, the nodes changed in order, and whether only the stored copy was changed.</summary>
public sealed record BmcCredentialResult(string BmcUser, string[] Nodes, bool BypassedBmcUpdate);
