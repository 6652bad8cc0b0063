@{
    RootModule        = 'Pep.SessionModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = 'c2a4f0de-3b1e-4d8e-9c57-2f6b0c1d7a41'
    Author            = 'Privileged endpoint project'
    Description       = 'The privileged endpoint cmdlets, loaded into each restricted session host.'
    PowerShellVersion = '7.6'
    CmdletsToExport   = @(
        'Get-AzureStackStampInformation'
        'Close-PrivilegedEndpoint'
        'Get-SupportSessionToken'
        'Unlock-SupportSession'
        'Get-SupportSessionInfo'
        'Test-AzureStack'
        'Stop-AzureStack'
        'Start-AzureStack'
        'Get-AzureStackLog'
        'New-CloudAdminUser'
        'Remove-CloudAdminUser'
        'Set-CloudAdminUserPassword'
        'Get-CloudAdminUserList'
        'Get-AzsDnsForwarder'
        'Set-AzsDnsForwarder'
        'Get-AzSLegalNotice'
        'Set-AzSLegalNotice'
        'Get-ThirdPartyNotices'
        'Get-ClusterLog'
        'Start-SecretRotation'
        'Get-ActionStatus'
        'Invoke-AzureStackOnDemandLog'
    )
    FormatsToProcess  = @('PepEndpoint.format.ps1xml')
    TypesToProcess    = @('PepEndpoint.types.ps1xml')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
