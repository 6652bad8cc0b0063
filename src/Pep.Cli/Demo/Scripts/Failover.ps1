# pep demo's last step: ERCS01 has been stopped, and the client moves on to ERCS02.
. (Join-Path $PSScriptRoot 'Prelude.ps1')

Step "New-PepSession -ComputerName $($computers -join ', ') ...   # ERCS01 is down"
$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 15000 -WarningAction Continue
Invoke-Command -Session $pep { Get-AzureStackStampInformation } | Select-Object CurrentInstance | Out-Host
Remove-PSSession $pep
