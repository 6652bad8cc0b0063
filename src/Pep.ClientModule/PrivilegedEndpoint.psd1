@{
    RootModule        = 'Pep.ClientModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '8d0e7b52-61a4-4f0b-a3c9-5e2d91f4b6c7'
    Author            = 'Privileged endpoint project'
    Description       = 'Connects to a privileged endpoint over HTTPS and returns a PSSession for Enter-PSSession, Invoke-Command and Import-PSSession.'
    PowerShellVersion = '7.4'
    CmdletsToExport   = @('New-PepSession')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
