# pep demo without a terminal: a scripted tour through the real client.
. (Join-Path $PSScriptRoot 'Prelude.ps1')

Step "`$pep = New-PepSession -ComputerName $($computers -join ', ') -Credential `$cred -CertificateThumbprint $thumbprint"
$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
$pep | Format-Table Id, Name, ComputerName, State, Availability -AutoSize | Out-Host

Step 'Invoke-Command -Session $pep { Get-Command }'
Invoke-Command -Session $pep { Get-Command } | Sort-Object Name | Format-Table Name, CommandType -AutoSize | Out-Host

Step 'Invoke-Command -Session $pep { Get-AzureStackStampInformation }'
Invoke-Command -Session $pep { Get-AzureStackStampInformation } | Format-List StampName, RegionName, DomainNetBIOSName, AdminExternalEndpoints, EmergencyConsoleIPAddresses, CurrentInstance | Out-Host

Step 'Invoke-Command -Session $pep { Get-Command Get-AzureStackStampInformation -Syntax }'
Invoke-Command -Session $pep { Get-Command Get-AzureStackStampInformation -Syntax } | Out-Host

Step 'Invoke-Command -Session $pep { 1+1 }      # scripting is refused'
try { Invoke-Command -Session $pep { 1+1 } } catch { Write-Host "Refused: $($_.FullyQualifiedErrorId)" -ForegroundColor Yellow }

Step 'Import-PSSession $pep -CommandName Get-AzureStackStampInformation -Prefix Pep'
$null = Import-PSSession $pep -CommandName Get-AzureStackStampInformation -Prefix Pep -AllowClobber
Get-PepAzureStackStampInformation | Select-Object StampName, CurrentInstance | Out-Host

Step 'Invoke-Command -Session $pep { Test-AzureStack }      # the demo stamp: real role services on loopback'
Invoke-Command -Session $pep { Test-AzureStack } | Out-Host

Step 'Invoke-Command -Session $pep { Stop-AzureStack }; then Test-AzureStack fails'
Invoke-Command -Session $pep { Stop-AzureStack } | Format-Table Role, Action, Succeeded, Detail -AutoSize | Out-Host
Invoke-Command -Session $pep { Test-AzureStack -Include AzsNetworkInfra, AzsPortalAPISummary } | Out-Host

Step 'Invoke-Command -Session $pep { Start-AzureStack }'
Invoke-Command -Session $pep { Start-AzureStack } | Format-Table Role, Action, Succeeded, Detail -AutoSize | Out-Host

Step 'Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage, DNS }'
Invoke-Command -Session $pep { Get-AzureStackLog -FilterByRole Storage, DNS } | Format-Table Role, Files, Bytes, Complete, Archive -AutoSize | Out-Host

Step 'Invoke-Command -Session $pep { Get-CloudAdminUserList }'
Invoke-Command -Session $pep { Get-CloudAdminUserList } | Format-Table UserName, CreatedUtc, Trusted -AutoSize | Out-Host

Remove-PSSession $pep
