# The two endpoints under test, both real and both on loopback: a throw-away deployment served by
# `pep serve`, and an sshd serving PowerShell's SSH subsystem. Every process started here is recorded in
# <work>/pids, which run.sh ends (with its descendants) however the bench ends.

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Starts a process in its own session (setsid keeps Ctrl+C at the terminal for run.sh's cleanup to handle),
# output to a log file; records its pid.
function Start-Recorded {
    param([string] $Work, [string] $Name, [string[]] $Arguments)
    $log = Join-Path $Work "$Name.log"
    $process = Start-Process -FilePath setsid -ArgumentList $Arguments -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru
    Add-Content -Path (Join-Path $Work 'pids') -Value $process.Id
    [pscustomobject]@{ Process = $process; Log = $log }
}

function Wait-ForLine {
    param([string] $Path, [string] $Pattern, [System.Diagnostics.Process] $Process, [double] $TimeoutSeconds = 60)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ((Test-Path $Path) -and (Select-String -Path $Path -Pattern $Pattern -Quiet)) { return }
        if ($Process.HasExited) { throw "$($Process.StartInfo.FileName) exited: $(Get-Content -Raw "$Path.err" -ErrorAction Ignore)$(Get-Content -Raw $Path -ErrorAction Ignore)" }
        Start-Sleep -Milliseconds 100
    }
    throw "Not ready within $TimeoutSeconds s: no '$Pattern' in $Path"
}

<#
sshd on a free loopback port with its own host key, config and authorized key. Subsystems: 'powershell'
(the baseline, as PowerShell's documentation sets it up) and, for the transcript measurement, the
endpoint's own session configuration with and without its TranscriptDirectory (files written later).
SetEnv gives those hosts a session identity in this deployment, as the gateway does.
#>
function Start-Sshd {
    param([string] $Work, [string] $Pwsh, [hashtable] $Identity)
    $ssh = Join-Path $Work 'ssh'
    $port = Get-FreePort
    $setEnv = ($Identity.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ' '
    @"
Port $port
ListenAddress 127.0.0.1
HostKey $ssh/host_key
PidFile $ssh/sshd.pid
AuthorizedKeysFile $ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
MaxStartups 200
MaxSessions 200
LogLevel ERROR
SetEnv $setEnv
Subsystem powershell $Pwsh -sshs -NoLogo -NoProfile
Subsystem pep-transcribed $Pwsh -sshs -NoLogo -NoProfile -ConfigurationFile $ssh/transcribed.pssc
Subsystem pep-untranscribed $Pwsh -sshs -NoLogo -NoProfile -ConfigurationFile $ssh/untranscribed.pssc
"@ | Set-Content -Path "$ssh/sshd_config"
    "[127.0.0.1]:$port $(Get-Content -Raw "$ssh/host_key.pub")".Trim() | Set-Content -Path "$ssh/known_hosts"
    & /usr/sbin/sshd -t -f "$ssh/sshd_config"
    if ($LASTEXITCODE) { throw "sshd refused its configuration" }
    $started = Start-Recorded -Work $Work -Name sshd -Arguments @('/usr/sbin/sshd', '-D', '-e', '-f', "$ssh/sshd_config")
    # Ready when it accepts a TCP connection.
    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    while ($true) {
        try { $client = [Net.Sockets.TcpClient]::new('127.0.0.1', $port); $client.Dispose(); break }
        catch { if ([DateTime]::UtcNow -gt $deadline -or $started.Process.HasExited) { throw "sshd did not start: $(Get-Content -Raw "$($started.Log).err")" }; Start-Sleep -Milliseconds 100 }
    }
    [pscustomobject]@{ Port = $port; ProcessId = $started.Process.Id; Directory = $ssh }
}

# The real `pep init` (one instance on a free loopback port, an allowed output root) and `pep serve`.
# -Name 'unrecorded' starts a second deployment whose gateway keeps no record of its sessions (figure 6).
function Start-Deployment {
    param([string] $Work, [string] $PepDll, [int] $MaxPreAuthConnectionsPerSource, [string] $Name = '', [switch] $WithoutGatewayRecord)
    $state = Join-Path $Work "state$Name"
    $outputRoot = Join-Path $Work "out$Name"
    New-Item -ItemType Directory -Path $outputRoot | Out-Null
    $port = Get-FreePort
    $doorPort = Get-FreePort
    $password = 'Bench-' + [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(12)) + '-pw'
    $env:PEP_BENCH_PASSWORD = $password
    try {
        $init = & dotnet $PepDll init --state $state --password-env PEP_BENCH_PASSWORD --instance "ERCS01=127.0.0.1:$port,ssh=$doorPort" --output-root $outputRoot 2>&1
        if ($LASTEXITCODE) { throw "pep init failed: $init" }
    }
    finally { Remove-Item Env:PEP_BENCH_PASSWORD }
    # Get-AzureStackLog writes its archives as the gateway's account (README, Security), which pep init made: the
    # allowed output root is the gateway's, as an operator would give it.
    $null = & chown 'pep-gateway:pep-gateway' $outputRoot 2>&1
    if ($LASTEXITCODE) { throw "could not give $outputRoot to pep-gateway" }
    # The SSH front door: cloudadmin logs in with a key of the bench's, and the door's host key is pinned.
    $doorKey = Join-Path $Work 'door_client_key'
    $null = & ssh-keygen -q -t ed25519 -N '' -f $doorKey
    $added = & dotnet $PepDll account ssh-key add --state $state --user cloudadmin --key-file "$doorKey.pub" 2>&1
    if ($LASTEXITCODE) { throw "pep account ssh-key add failed: $added" }
    $hostKey = (Get-Content -Raw "$state/instances/ERCS01/ssh/ssh_host_ed25519_key.pub").Split(' ')
    Set-Content -Path (Join-Path $Work 'door_known_hosts') -Value "[127.0.0.1]:$doorPort $($hostKey[0]) $($hostKey[1])"
    $config = Get-Content -Raw "$state/deployment.json" | ConvertFrom-Json
    if (-not $config.limits) { $config | Add-Member limits ([pscustomobject]@{}) }
    $config.limits | Add-Member -Force maxPreAuthConnectionsPerSource $MaxPreAuthConnectionsPerSource
    # BENCH_RELOGIN_TICKETS=0: every login verifies its password with PBKDF2 (no re-login tickets), as a console's
    # first login does; by default a console's later logins present the ticket of its last one (README, Re-login tickets).
    if ($env:BENCH_RELOGIN_TICKETS -eq '0') { $config.limits | Add-Member -Force reloginTicketMinutes 0 }
    if ($WithoutGatewayRecord) {
        if (-not $config.transcripts) { $config | Add-Member transcripts ([pscustomobject]@{}) }
        $config.transcripts | Add-Member -Force gatewayRecord $false
    }
    $config | ConvertTo-Json -Depth 20 | Set-Content "$state/deployment.json"
    $serve = Start-Recorded -Work $Work -Name "pep-serve$Name" -Arguments @('dotnet', $PepDll, 'serve', '--state', $state, '--instance', 'ERCS01')
    Wait-ForLine -Path $serve.Log -Pattern '^pep: ready ' -Process $serve.Process
    [pscustomobject]@{
        State = $state; OutputRoot = $outputRoot; Port = $port; ProcessId = $serve.Process.Id
        Password = $password; Thumbprint = $config.tlsCertificateThumbprint
        Ledger = Join-Path $state 'instances/ERCS01/transcripts/ledger.jsonl'
        Log = $serve.Log
        Transcripts = Join-Path $state 'instances/ERCS01/transcripts'
        GatewayRecords = Join-Path $state 'instances/ERCS01/gateway-records'
        DoorPort = $doorPort; DoorKey = $doorKey; DoorKnownHosts = Join-Path $Work 'door_known_hosts'
    }
}

# How to open a session on each side, as data, so that parallel runspaces can open them too.
function New-SessionSpec {
    param([string] $Kind, $Deployment, $Sshd, [string] $ClientModule, [string] $Subsystem = 'powershell')
    switch ($Kind) {
        'pep' { @{ Kind = 'pep'; Computer = "127.0.0.1:$($Deployment.Port)"; Thumbprint = $Deployment.Thumbprint; Password = $Deployment.Password; Module = $ClientModule } }
        'ssh' { @{ Kind = 'ssh'; Port = $Sshd.Port; Key = "$($Sshd.Directory)/client_key"; KnownHosts = "$($Sshd.Directory)/known_hosts"; Subsystem = $Subsystem; User = 'root' } }
        'door' { @{ Kind = 'ssh'; Port = $Deployment.DoorPort; Key = $Deployment.DoorKey; KnownHosts = $Deployment.DoorKnownHosts; Subsystem = 'powershell'; User = 'cloudadmin' } }
    }
}

# Opens one session from a spec (also used as text inside ForEach-Object -Parallel).
$script:OpenSessionText = @'
param($spec)
if ($spec.Kind -eq 'pep') {
    if (-not (Get-Module PrivilegedEndpoint)) { Import-Module $spec.Module }
    $cred = [pscredential]::new('AZURESTACK\cloudadmin', (ConvertTo-SecureString $spec.Password -AsPlainText -Force))
    New-PepSession -ComputerName $spec.Computer -Credential $cred -CertificateThumbprint $spec.Thumbprint -ErrorAction Stop
}
else {
    $options = @{ UserKnownHostsFile = $spec.KnownHosts; StrictHostKeyChecking = 'yes' }
    New-PSSession -HostName 127.0.0.1 -Port $spec.Port -UserName $spec.User -KeyFilePath $spec.Key -SSHTransport -Subsystem $spec.Subsystem -Options $options -ErrorAction Stop
}
'@
$script:OpenSession = [scriptblock]::Create($script:OpenSessionText)
