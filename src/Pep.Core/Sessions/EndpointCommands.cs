
namespace Pep.Core.Sessions;

/// <summary>
/// The commands a locked session shows beside PowerShell's eight restricted defaults. The session
/// configuration makes exactly these visible; a test checks the session module exports exactly these.
/// </summary>
public static class EndpointCommands
{
    public const string ModuleName = "PepEndpoint";

    public static readonly IReadOnlyList<string> Visible =
    [
        "Get-AzureStackStampInformation",
        "Close-PrivilegedEndpoint",
        "Get-SupportSessionToken",
        "Unlock-SupportSession",
        "Get-SupportSessionInfo",
        "Test-AzureStack",
        "Stop-AzureStack",
        "Start-AzureStack",
        "Get-AzureStackLog",
        "New-CloudAdminUser",
        "Remove-CloudAdminUser",
        "Set-CloudAdminUserPassword",
        "Get-CloudAdminUserList",
        "Add-CloudAdminUserSshKey",
        "Remove-CloudAdminUserSshKey",
        "Get-CloudAdminUserSshKey",
        "Get-AzsDnsForwarder",
        "Set-AzsDnsForwarder",
        "Get-AzSLegalNotice",
        "Set-AzSLegalNotice",
        "Get-ThirdPartyNotices",
        "Get-ClusterLog",
        "Start-SecretRotation",
        "Get-SyslogServer",
        "Set-SyslogServer",
        "Get-SyslogClient",
        "Set-SyslogClient",
        "Get-TLSPolicy",
        "Set-TLSPolicy",
        "Get-AzSDnsServerSettings",
        "Set-AzSDnsServerSettings",
        "Register-CustomDnsServer",
        "Set-BmcCredential",
        "Get-ActionStatus",
        "Invoke-AzureStackOnDemandLog",
        "Get-AzureStackSupportConfiguration",
        "Get-CloudAdminPasswordRecoveryToken",
        "Complete-CloudAdminPasswordRecovery",
    ];

    /// <summary>PowerShell's restricted remote server defaults (the seed's validated list without the PEP cmdlets).</summary>
    public static readonly IReadOnlyList<string> RestrictedDefaults =
    [
        "Clear-Host", "Exit-PSSession", "Get-Command", "Get-FormatData", "Get-Help", "Measure-Object", "Out-Default", "Select-Object",
    ];
}
