namespace Pep.Core.Contracts.Broker;

/// <summary>Bounds of the account requests' fields, as the cmdlets declare them.</summary>
public static class AccountLimits
{
    public const int MaxUserNameLength = 200;

    /// <summary>A password's UTF-8 bytes: far above any policy, far below a frame.</summary>
    public const int MaxPasswordBytes = 1024;
}
