using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Start-SecretRotation. With <see cref="CheckOnly"/> the gateway plans the rotation (or finds the one to resume)
/// and says what it would do (<see cref="RotationPlanReply"/>), so the cmdlet can ask for confirmation; without, it
/// runs it (<see cref="RotationReply"/>), unless the rotation state changed since the plan it was shown
/// (<see cref="ExpectedStateId"/>, <see cref="ExpectedStateUpdatedUtc"/>: the last rotation the plan saw, or none).
/// <see cref="Certificates"/> is the kind to rotate (null with ReRun: the unfinished one's); not named Kind, which is
/// the frames' message kind. The share and certificate passwords are UTF-8.
/// </summary>
public sealed record RotateSecretsRequest(
    CertificateKind? Certificates,
    bool ReRun,
    string? PfxFilesPath,
    string? ShareUser,
    byte[]? SharePassword,
    byte[]? CertificatePassword,
    bool CheckOnly,
    Guid? ExpectedStateId,
    DateTimeOffset? ExpectedStateUpdatedUtc) : BrokerRequest
{
    private const int MaxPathLength = 1024;

    public override string Describe()
        => $"Start-SecretRotation{(Certificates is { } kind ? " -" + kind : "")}{(ReRun ? " -ReRun" : "")}{(PfxFilesPath is null ? "" : " from " + Loggable(PfxFilesPath))}{(CheckOnly ? " (plan only)" : "")}";

    public override string? Validate()
        => (PfxFilesPath is null ? null : CheckLength(PfxFilesPath, nameof(PfxFilesPath), 1, MaxPathLength))
           ?? (ShareUser is null ? null : CheckLength(ShareUser, nameof(ShareUser), 1, AccountLimits.MaxUserNameLength))
           ?? (SharePassword is { Length: > AccountLimits.MaxPasswordBytes } || CertificatePassword is { Length: > AccountLimits.MaxPasswordBytes }
               ? $"A password must have at most {AccountLimits.MaxPasswordBytes} bytes."
               : null)
           ?? (Certificates is null && !ReRun ? "Say what to rotate: a kind of certificates, or ReRun." : null);

    public override void ClearSecrets()
    {
        Array.Clear(SharePassword ?? []);
        Array.Clear(CertificatePassword ?? []);
    }
}
