# pep demo: what every demo client script starts with. The demo sets PEP_DEMO_* in the client's environment:
# the password never appears on a command line, and is removed from the environment at once.
$ErrorActionPreference = 'Stop'
Import-Module $env:PEP_DEMO_CLIENT_MODULE
$cred = [pscredential]::new('AZURESTACK\cloudadmin', (ConvertTo-SecureString $env:PEP_DEMO_PASSWORD -AsPlainText -Force))
Remove-Item Env:PEP_DEMO_PASSWORD
$thumbprint = $env:PEP_DEMO_THUMBPRINT
$computers = $env:PEP_DEMO_COMPUTERS -split ','
function Step([string] $text) { Write-Host ''; Write-Host ">>> $text" -ForegroundColor Cyan }
