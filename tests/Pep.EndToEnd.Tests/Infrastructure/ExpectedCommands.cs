namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The commands a locked session shows, written out here rather than read from the product: a command added to
/// or taken from the session must change this list too.
/// </summary>
internal static class ExpectedCommands
{
    /// <summary>PowerShell's RestrictedRemoteServer defaults.</summary>
    public static readonly string[] RestrictedDefaults =
        ["Clear-Host", "Exit-PSSession", "Get-Command", "Get-FormatData", "Get-Help", "Measure-Object", "Out-Default", "Select-Object"];

    /// <summary>The endpoint module's cmdlets.</summary>
    public static readonly string[] EndpointCmdlets =
    [
        "Close-PrivilegedEndpoint", "Get-ActionStatus", "Get-AzSLegalNotice", "Get-AzsDnsForwarder", "Get-AzureStackLog", "Get-AzureStackStampInformation",
        "Get-CloudAdminUserList", "Get-ClusterLog", "Get-SupportSessionInfo", "Get-SupportSessionToken", "Get-ThirdPartyNotices", "Invoke-AzureStackOnDemandLog",
        "New-CloudAdminUser", "Remove-CloudAdminUser", "Set-AzSLegalNotice", "Set-AzsDnsForwarder", "Set-CloudAdminUserPassword",
        "Start-AzureStack", "Start-SecretRotation", "Stop-AzureStack", "Test-AzureStack", "Unlock-SupportSession",
    ];

    /// <summary>Both, in ordinal order.</summary>
    public static string[] All => [.. RestrictedDefaults.Concat(EndpointCmdlets).Order(StringComparer.Ordinal)];
}
