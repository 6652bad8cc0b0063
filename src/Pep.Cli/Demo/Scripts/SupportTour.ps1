# pep demo's break-the-glass tour: the demo plays the vendor too, with an authority of its own beside the
# stamp's temporary state directory, never inside it (PEP_DEMO_AUTHORITY), and grants through the real `pep authority grant` (PEP_DEMO_PEP: this pep's
# command line, one argument a line).
. (Join-Path $PSScriptRoot 'Prelude.ps1')

$pepCommand = @($env:PEP_DEMO_PEP -split "`n")
Step 'Break the glass: $pep = New-PepSession ...; Invoke-Command -Session $pep { Get-SupportSessionToken }'
$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
$request = Invoke-Command -Session $pep { Get-SupportSessionToken }
Write-Host $request

Step "The vendor, on its own machine: pep authority grant --key '$env:PEP_DEMO_AUTHORITY' --duration 10s < request.txt"
$response = ($request | & $pepCommand[0] @($pepCommand | Select-Object -Skip 1) authority grant --key $env:PEP_DEMO_AUTHORITY --duration 10s --granted-by 'demo vendor') -join "`n"
if ($LASTEXITCODE -ne 0) { throw 'pep authority grant failed' }
Write-Host $response

Step 'Invoke-Command -Session $pep { Unlock-SupportSession $using:response }'
Invoke-Command -Session $pep { Unlock-SupportSession $using:response } | Format-List State, UnlockedBy, ElevatedSinceUtc, ElevatedUntilUtc | Out-Host

Step 'Invoke-Command -Session $pep { 1+1; $ExecutionContext.SessionState.LanguageMode; uname -sr }      # elevated: full PowerShell'
Invoke-Command -Session $pep { 1+1; "$($ExecutionContext.SessionState.LanguageMode)"; uname -sr } | Out-Host

Step 'Waiting for the 10 s grant to run out: the gateway ends the elevated session and everything it started'
$deadline = (Get-Date).AddSeconds(40)
do { Start-Sleep -Seconds 1 } while ($pep.State -eq 'Opened' -and (Get-Date) -lt $deadline)
if ($pep.State -eq 'Opened') { throw 'The support session was not ended when its grant ran out.' }
Write-Host "The elevated session is $($pep.State): nothing it started runs any more." -ForegroundColor Yellow
Remove-PSSession $pep

Step '$pep = New-PepSession ...; Invoke-Command -Session $pep { 1+1 }      # a new session is restricted: scripting is refused'
$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
try { Invoke-Command -Session $pep { 1+1 } -ErrorAction Stop } catch { Write-Host "Refused: $($_.FullyQualifiedErrorId)" -ForegroundColor Yellow }
Remove-PSSession $pep
