@{
    RootModule           = 'Pep.ClientModule.dll'
    ModuleVersion        = '1.0.0'
    GUID                 = '8d0e7b52-61a4-4f0b-a3c9-5e2d91f4b6c7'
    Author               = 'Privileged endpoint project'
    Copyright            = '(c) 2026 The privileged endpoint authors. MIT License.'
    Description          = 'Connects to a privileged endpoint over HTTPS and returns a PSSession for Enter-PSSession, Invoke-Command and Import-PSSession.'
    # Built on .NET 10, as PowerShell 7.6 is; runs on Windows, macOS and Linux.
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @('New-PepSession')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('PrivilegedEndpoint', 'PEP', 'AzureStack', 'Remoting', 'PSSession', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://opensource.org/license/mit'
            ReleaseNotes = '1.0.0: New-PepSession over HTTPS and WebSocket with instance failover (-ComputerName in order), certificate pinning (-CertificateThumbprint) or a named CA (-CertificateAuthorityPath), -Culture and -UICulture, and the legal notice of the endpoint shown as a warning.'
        }
    }
}
