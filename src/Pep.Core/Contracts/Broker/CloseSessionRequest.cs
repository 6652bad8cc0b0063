namespace Pep.Core.Contracts.Broker;

/// <summary>
/// Close-PrivilegedEndpoint: seal this session, deliver it and every transcript pending on the instance to
/// <see cref="Destination"/> with the share credential (<see cref="SharePassword"/> in UTF-8), and say what was moved
/// (answered with <see cref="CloseReply"/>, after progress, warnings and verbose lines). The instance key and the
/// ledger stay in the gateway; the session is the socket's.
/// </summary>
public sealed record CloseSessionRequest(string Destination, string? ShareUser, byte[]? SharePassword) : BrokerRequest
{
    /// <summary>A UNC path or folder: far above any real one.</summary>
    private const int MaxDestinationLength = 1024;

    public override string Describe() => $"Close-PrivilegedEndpoint to {Loggable(Destination)}{(ShareUser is null ? "" : $" as {Loggable(ShareUser)}")}";

    public override string? Validate()
        => CheckLength(Destination, nameof(Destination), 1, MaxDestinationLength)
           ?? (ShareUser is null ? null : CheckLength(ShareUser, nameof(ShareUser), 1, AccountLimits.MaxUserNameLength))
           ?? (SharePassword is { Length: > AccountLimits.MaxPasswordBytes } ? $"{nameof(SharePassword)} must have at most {AccountLimits.MaxPasswordBytes} bytes." : null);

    public override void ClearSecrets()
    {
        if (SharePassword is not null)
        {
            Array.Clear(SharePassword);
        }
    }
}
