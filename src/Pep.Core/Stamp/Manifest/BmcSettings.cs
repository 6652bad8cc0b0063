namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// How a node's BMC credential is changed (Set-BmcCredential): commands that read the BMC user and the new password
/// as two lines on standard input, never from their command line (an empty user line: keep the current user). <see cref="Update"/> changes the BMC and the stamp's
/// stored copy; <see cref="Store"/>, when declared, changes only the stored copy (-BypassBMCUpdate).
/// </summary>
public sealed record BmcSettings
{
    public required RoleCommand Update { get; init; }

    public RoleCommand? Store { get; init; }
}
