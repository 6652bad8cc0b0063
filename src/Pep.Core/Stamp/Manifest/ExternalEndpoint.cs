namespace Pep.Core.Stamp.Manifest;

/// <summary>One of the stamp's published endpoints (portal, management API, ...).</summary>
public sealed record ExternalEndpoint
{
    public required string Name { get; init; }

    public required string Url { get; init; }

    /// <summary>Admin or Tenant: which of Get-AzureStackStampInformation's named endpoint objects it can fill.</summary>
    public string Audience { get; init; } = "Admin";
}
