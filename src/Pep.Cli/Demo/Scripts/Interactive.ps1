# pep demo at a terminal: an interactive session on the endpoint (dot-sourced, with -NoExit).
. (Join-Path $PSScriptRoot 'Prelude.ps1')

Write-Host 'Connecting as AZURESTACK\cloudadmin. Try: Get-Command, Get-AzureStackStampInformation, Get-Help <name> -Full, 1+1. Leave with Exit-PSSession, then exit.'
$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
Enter-PSSession $pep
