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
        "Add-CloudAdminUserSshKey",
        "Close-PrivilegedEndpoint",
        "Complete-CloudAdminPasswordRecovery",
        "Get-ActionStatus",
        "Get-AzSDnsServerSettings",
        "Get-AzSLegalNotice",
        "Get-AzsDnsForwarder",
        "Get-AzureStackLog",
        "Get-AzureStackStampInformation",
        "Get-AzureStackSupportConfiguration",
        "Get-CloudAdminPasswordRecoveryToken",
        "Get-CloudAdminUserList",
        "Get-CloudAdminUserSshKey",
        "Get-ClusterLog",
        "Get-SupportSessionInfo",
        "Get-SupportSessionToken",
        "Get-SyslogClient",
        "Get-SyslogServer",
        "Get-TLSPolicy",
        "Get-ThirdPartyNotices",
        "Invoke-AzureStackOnDemandLog",
        "New-CloudAdminUser",
        "Register-CustomDnsServer",
        "Remove-CloudAdminUser",
        "Remove-CloudAdminUserSshKey",
        "Set-AzSDnsServerSettings",
        "Set-AzSLegalNotice",
        "Set-AzsDnsForwarder",
        "Set-BmcCredential",
        "Set-CloudAdminUserPassword",
        "Set-SyslogClient",
        "Set-SyslogServer",
        "Set-TLSPolicy",
        "Start-AzureStack",
        "Start-SecretRotation",
        "Stop-AzureStack",
        "Test-AzureStack",
        "Unlock-SupportSession",
    ];

    /// <summary>Both, in ordinal order.</summary>
    public static string[] All => [.. RestrictedDefaults.Concat(EndpointCmdlets).Order(StringComparer.Ordinal)];
}
