<#
The benchmark suite of issue 6, started by bench/run.sh (which sets up, builds, and removes everything at
the end). Starts a throw-away deployment (`pep init`, `pep serve`) and an sshd on loopback, runs the seven
measurements, prints the table and, in a full run, writes it into bench/README.md.
#>
param(
    [ValidateSet('full', 'quick')] [string] $Mode = 'full',
    [Parameter(Mandatory)] [string] $Work,
    [Parameter(Mandatory)] [string] $Pwsh,
    [Parameter(Mandatory)] [string] $Repo
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
foreach ($lib in 'Stats', 'ProcessTree', 'Endpoints', 'Measurements', 'Logs', 'Transcripts', 'Report') { . "$PSScriptRoot/lib/$lib.ps1" }

# Counts: full run, quick smoke run, each overridable by its BENCH_* variable.
$defaults = [ordered]@{
    BENCH_SESSION_RUNS = 10, 2; BENCH_ROUNDTRIP_RUNS = 100, 10; BENCH_OBJECTS = 100000, 2000; BENCH_OBJECT_RUNS = 3, 1
    BENCH_SESSIONS = 50, 4; BENCH_COMMANDS = 20, 3; BENCH_LOG_MIB = 1024, 16; BENCH_LOG_RUNS = 3, 1; BENCH_TRANSCRIPT_RUNS = 100, 10
    BENCH_END_RUNS = 10, 2
    BENCH_FLOOD_RUNS = 5, 1
}
$counts = @{}
foreach ($name in $defaults.Keys) {
    $value = [Environment]::GetEnvironmentVariable($name)
    $counts[$name] = if ($value) { [int]$value } else { $defaults[$name][$(if ($Mode -eq 'quick') { 1 } else { 0 })] }
}
$writeReadme = if ($env:BENCH_WRITE_README) { $env:BENCH_WRITE_README -eq '1' } else { $Mode -eq 'full' }

$started = [Diagnostics.Stopwatch]::StartNew()
$loadStart = Get-LoadAverage
$machine = Get-Machine
$pepDll = "$Repo/src/Pep.Cli/bin/Release/net10.0/pep.dll"
$clientModule = "$Repo/src/Pep.Cli/bin/Release/net10.0/modules/PrivilegedEndpoint"
$rows = [Collections.Generic.List[object]]::new()
$failed = $false
$sessions = @{}

Write-Host "bench: starting the endpoint (pep init, pep serve) and sshd in $Work"
# (4) opens its sessions at once from one address: the deployment lets one source hold that many connections
# before they log in (limits.maxPreAuthConnectionsPerSource, 16 by default), as one expecting that many
# operators at once behind one address would; (8) floods with more than that per source.
$perSourceConnections = $counts.BENCH_SESSIONS + 14
$deployment = Start-Deployment -Work $Work -PepDll $pepDll -MaxPreAuthConnectionsPerSource $perSourceConnections
$identity = [ordered]@{
    PEP_SESSION_ID = [guid]::NewGuid().ToString(); PEP_SESSION_USER = 'bench'; PEP_SESSION_INSTANCE = 'ERCS01'; PEP_SESSION_CLIENT = '127.0.0.1'
    PEP_SESSION_STARTED = [DateTime]::UtcNow.ToString('O'); PEP_SESSION_STATE = $deployment.State; PEP_SESSION_CULTURE = 'en-US'
}
$sshd = Start-Sshd -Work $Work -Pwsh $Pwsh -Identity $identity
$specs = @{ pep = (New-SessionSpec pep -Deployment $deployment -ClientModule $clientModule); ssh = (New-SessionSpec ssh -Sshd $sshd); door = (New-SessionSpec door -Deployment $deployment) }
$roots = @($deployment.ProcessId, $sshd.ProcessId)
$manifestPath = Join-Path $deployment.State 'stamp.json'

# BENCH_ONLY=1,5 runs only those measurements (development, before/after comparisons).
$only = @($env:BENCH_ONLY -split '[, ]+' | Where-Object { $_ })

function Invoke-Phase {
    param([string] $Name, [scriptblock] $Body)
    if ($only -and $Name -match '^\((\d)\)' -and $Matches[1] -notin $only) { return }
    Write-Host "bench: $Name"
    try { & $Body }
    catch {
        $script:failed = $true
        Write-Host "bench: $Name failed: $_`n$($_.ScriptStackTrace)"
        $rows.Add((New-FailedRow $Name "$_"))
    }
}

try {
    Invoke-Phase '(1) time to a usable session' {
        $s = Measure-SessionOpen -Specs $specs -Runs $counts.BENCH_SESSION_RUNS -Roots $roots
        $ratio = (Get-Median $s.pep) / (Get-Median $s.ssh)
        $rows.Add((New-Row '(1) New-PepSession to a usable session (ms)' (Format-Pair $s.pep) (Format-Pair $s.ssh) (Format-Ratio $ratio) '≤ 0.25× and < 300 ms' ($ratio -le 0.25 -and (Get-Median $s.pep) -lt 300) `
            "usable = the session has answered its first command ($($script:SmallCommand.ToString().Trim())); each login starts from a quiet endpoint; $(if ($env:BENCH_RELOGIN_TICKETS -eq '0') { 're-login tickets off: every login verified with PBKDF2' } else { "every counted login presents the console's re-login ticket (a console's first login, verified with PBKDF2, is the one not counted; BENCH_RELOGIN_TICKETS=0 measures those)" })."))
        $ratio = (Get-Median $s.door) / (Get-Median $s.ssh)
        $rows.Add((New-Row '(1) the SSH front door (stock New-PSSession -HostName, key) to a usable session (ms)' (Format-Pair $s.door) (Format-Pair $s.ssh) (Format-Ratio $ratio) 'reported' $null `
            "same loop as the row above; the endpoint's HTTPS door took $(Format-Pair $s.pep) ms. The door's login: sshd, its keys command (pep-ssh-door) asking the gateway, the forced relay (pep-ssh-door) and a warm host."))
    }

    Invoke-Phase '(7) end of a session to its ledger entry' {
        $e = Measure-SessionEnd -Spec $specs.pep -Runs $counts.BENCH_END_RUNS -Roots $roots -Ledger $deployment.Ledger -GatewayLog $deployment.Log
        $rows.Add((New-Row '(7) client close (Remove-PSSession) → ledger entry (ms)' (Format-Pair $e.close) 'n/a' '' '< 1,000 ms' ((Get-Median $e.close) -lt 1000) `
            'from the call of Remove-PSSession until the sealed transcript has its ledger entry; each run from a quiet endpoint.'))
        $rows.Add((New-Row '(7) session host SIGKILL → ledger entry (ms)' (Format-Pair $e.kill) 'n/a' '' '< 1,000 ms' ((Get-Median $e.kill) -lt 1000) `
            'from the kill of the session host until its transcript has its ledger entry (end reason HostExited).'))
    }

    Invoke-Phase 'opening one session per side for (2), (3), (5), (6)' {
        $sessions.pep = & $OpenSession $specs.pep
        $sessions.ssh = & $OpenSession $specs.ssh
        $sessions.door = & $OpenSession $specs.door
        $script:overSsh = Open-EndpointHostOverSsh -EndpointRootId $deployment.ProcessId -Sshd $sshd -Work $Work
        if (-not $overSsh.Reason) { $sessions.hostOverSsh = $overSsh.On; $sessions.hostOverSshUntranscribed = $overSsh.Off }
    }

    Invoke-Phase '(2) round trip of a small command' {
        $sides = @{ pep = $sessions.pep; ssh = $sessions.ssh }
        if ($sessions.hostOverSsh) { $sides.hostOverSsh = $sessions.hostOverSsh }
        $sides.door = $sessions.door
        $s = Measure-RoundTrip -Sessions $sides -Runs $counts.BENCH_ROUNDTRIP_RUNS -Roots $roots
        $script:roundTrip = $s
        $ratio = (Get-Median $s.pep) / (Get-Median $s.ssh)
        $rows.Add((New-Row "(2) round trip of $($script:SmallCommand.ToString().Trim()) (ms)" (Format-Pair $s.pep -Digits 1) (Format-Pair $s.ssh -Digits 1) (Format-Ratio $ratio) '≤ 1.2×' ($ratio -le 1.2)))
        $ratio = (Get-Median $s.door) / (Get-Median $s.ssh)
        $rows.Add((New-Row '(2) the same through the SSH front door (ms)' (Format-Pair $s.door -Digits 1) (Format-Pair $s.ssh -Digits 1) (Format-Ratio $ratio) 'reported' $null `
            "same loop; HTTPS door $(Format-Number (Get-Median $s.pep) 1) ms. The door adds sshd, the relay (pep-ssh-door) and the gateway to the path of plain pwsh over SSH."))
        if ($sessions.hostOverSsh) {
            $ratio = (Get-Median $s.pep) / (Get-Median $s.hostOverSsh)
            $rows.Add((New-Row '(2) the same: through the gateway vs the same endpoint session host over SSH (ms)' (Format-Pair $s.pep -Digits 1) (Format-Pair $s.hostOverSsh -Digits 1) (Format-Ratio $ratio) '≤ 1.2×' ($ratio -le 1.2) `
                "the endpoint's own .pssc (transcribed) served by sshd, measured in the same loop: the difference is the gateway and the client module's transport against sshd and PowerShell's SSH transport; median difference $(Format-Number ((Get-Median $s.pep) - (Get-Median $s.hostOverSsh)) 1) ms."))
        }
        else { $rows.Add((New-Row '(2) the same: through the gateway vs the same endpoint session host over SSH (ms)' 'n/a' 'n/a' 'n/a' '≤ 1.2×' $false "not measured: $($overSsh.Reason)")) }
    }

    Invoke-Phase '(6) transcript overhead' {
        $t = Measure-TranscriptOverhead -OverSsh $overSsh -Runs $counts.BENCH_TRANSCRIPT_RUNS -Roots $roots
        if ($t.Reason) { $rows.Add((New-Row '(6) round trip, transcript on vs off (ms)' 'n/a' 'n/a' 'n/a' '≤ 1.1×' $false "not measured: $($t.Reason)")); return }
        $ratio = (Get-Median $t.Samples.on) / (Get-Median $t.Samples.off)
        $rows.Add((New-Row '(6) round trip, transcript on vs off (ms)' (Format-Pair $t.Samples.on -Digits 1) (Format-Pair $t.Samples.off -Digits 1) (Format-Ratio $ratio) '≤ 1.1×' ($ratio -le 1.1) `
            ("the endpoint's .pssc with and without TranscriptDirectory, both served over SSH (bench/README.md says why)." + $(if ($script:roundTrip) {
                " Medians of the same small command: plain pwsh over SSH $(Format-Number (Get-Median $script:roundTrip.ssh) 1) ms (2); endpoint session over SSH without transcript $(Format-Number (Get-Median $t.Samples.off) 1), with $(Format-Number (Get-Median $t.Samples.on) 1); endpoint through the gateway $(Format-Number (Get-Median $script:roundTrip.pep) 1) (2)."
            }))))
    }

    Invoke-Phase '(6) the gateway record' {
        # The same gateway and client twice, one deployment with the gateway's record and one without
        # ("transcripts": { "gatewayRecord": false }, a setting only the bench uses), round trips alternating.
        $off = Start-Deployment -Work $Work -PepDll $pepDll -MaxPreAuthConnectionsPerSource $perSourceConnections -Name '-unrecorded' -WithoutGatewayRecord
        $unrecorded = & $OpenSession (New-SessionSpec pep -Deployment $off -ClientModule $clientModule)
        try {
            $r = Measure-RoundTrip -Sessions @{ recorded = $sessions.pep; unrecorded = $unrecorded } -Runs $counts.BENCH_TRANSCRIPT_RUNS -Roots ($roots + $off.ProcessId)
            # The record decodes once the session is quiet (200 ms): give it that moment before counting.
            $recorded = 0
            $waited = [Diagnostics.Stopwatch]::StartNew()
            while ($recorded -lt $counts.BENCH_TRANSCRIPT_RUNS -and $waited.Elapsed.TotalSeconds -lt 10) {
                Start-Sleep -Milliseconds 250
                $records = @(Get-ChildItem $deployment.GatewayRecords -Recurse -Filter record.log -ErrorAction Ignore)
                $recorded = @($records | Select-String -SimpleMatch 'Pipeline' | Where-Object { $_.Line -match 'Measure-Object' }).Count
            }
            $ratio = (Get-Median $r.recorded) / (Get-Median $r.unrecorded)
            $rows.Add((New-Row '(6) round trip through the gateway, its record on vs off (ms)' (Format-Pair $r.recorded -Digits 1) (Format-Pair $r.unrecorded -Digits 1) (Format-Ratio $ratio) '≤ 1.1×' ($ratio -le 1.1 -and $recorded -gt 0) `
                "two deployments, the second with the gateway's record off; the recorded session's record holds $recorded pipelines of the measured command; median difference $(Format-Number ((Get-Median $r.recorded) - (Get-Median $r.unrecorded)) 1) ms."))
        }
        finally { Remove-PSSession $unrecorded }
    }

    Invoke-Phase "(3) $($counts.BENCH_OBJECTS) objects" {
        $s = Measure-Throughput -Sessions $sessions -Count $counts.BENCH_OBJECTS -Runs $counts.BENCH_OBJECT_RUNS -ManifestPath $manifestPath
        $ratio = (Get-Median $s.ssh) / (Get-Median $s.pep)
        $rate = $counts.BENCH_OBJECTS / (Get-Median $s.pep) * 1000
        $rows.Add((New-Row "(3) $(Format-Number $counts.BENCH_OBJECTS) small objects (s)" (Format-Pair $s.pep 0.001 2) (Format-Pair $s.ssh 0.001 2) (Format-Ratio $ratio) 'throughput ≥ 1.0×' ($ratio -ge 1.0) `
            "ratio = baseline time / endpoint time. Endpoint: Test-AzureStack -List over a manifest of $(Format-Number $counts.BENCH_OBJECTS) categories, $(Format-Number $rate) objects/s; the same cmdlet returning one object (manifest read) takes $(Format-Pair $s.pepOneObject) ms. Baseline: the same objects, prebuilt in the SSH session."))
    }

    Invoke-Phase "(5) Get-AzureStackLog over $($counts.BENCH_LOG_MIB) MiB" {
        $l = Measure-LogCollection -Session $sessions.pep -Work $Work -Mib $counts.BENCH_LOG_MIB -Runs $counts.BENCH_LOG_RUNS -ManifestPath $manifestPath -OutputRoot $deployment.OutputRoot -Repo $Repo -EndpointRootId $deployment.ProcessId
        $speedup = (Get-Median $l.Samples.zip) / (Get-Median $l.Samples.pep)
        $checked = if ($l.Problems.Count) { $l.Problems -join '; ' } else { 'unzip -t accepts every archive' }
        $rows.Add((New-Row "(5) Get-AzureStackLog, $($counts.BENCH_LOG_MIB) MiB in 8 roles, vs zip -r -1 (s)" (Format-Pair $l.Samples.pep 0.001 1) (Format-Pair $l.Samples.zip 0.001 1) (Format-Ratio $speedup) '≥ 1.5× faster; unzip -t ok' ($speedup -ge 1.5 -and $l.Problems.Count -eq 0) `
            "ratio = zip time / endpoint time; $($l.Files) files, $(Format-Number ($l.InputBytes / 1MB)) MiB in; archives $(Format-Number ($l.PepArchiveBytes / 1MB)) MiB (endpoint) and $(Format-Number ($l.ZipArchiveBytes / 1MB)) MiB (zip -1); CPU time $(Format-Pair $l.Samples.pepCpu 0.001 1) s (endpoint, all threads) against $(Format-Pair $l.Samples.zipCpu 0.001 1) s (zip), so on an otherwise idle machine with both cores the ratio would approach $(Format-Ratio ([math]::Min(2, [Environment]::ProcessorCount) * (Get-Median $l.Samples.zipCpu) / (Get-Median $l.Samples.pepCpu))); $checked."))
    }

    foreach ($side in @($sessions.Keys)) { Remove-PSSession $sessions[$side]; $sessions.Remove($side) }

    Invoke-Phase '(8) a login under a flood' {
        $f = Measure-LoginUnderFlood -Spec $specs.pep -Runs $counts.BENCH_FLOOD_RUNS -Roots $roots -Deployment $deployment -Repo $Repo -BareConnections ($perSourceConnections + 16)
        $added = (Get-Median $f.Samples.flood) - (Get-Median $f.Samples.quiet)
        $answered = ($f.Answers.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Value) × $($_.Key)" }) -join ', '
        $rows.Add((New-Row '(8) New-PepSession to a usable session under a flood (ms)' (Format-Pair $f.Samples.flood) (Format-Pair $f.Samples.quiet) (Format-Ratio ((Get-Median $f.Samples.flood) / (Get-Median $f.Samples.quiet))) '≤ quiet + 2 s' ($added -le 2000) `
            ("baseline column = the same login on the quiet endpoint (not ssh). Flood from 127.0.0.10-14: $($perSourceConnections + 16) bare connections, 4 slow TLS handshakes and 2 password guessers per address; median added $(Format-Number $added) ms. Guesses answered (HTTP status, 0 = connection refused): $answered.")))
    }

    Invoke-Phase "(4) $($counts.BENCH_SESSIONS) sessions at once" {
        $n = $counts.BENCH_SESSIONS
        $pep = Measure-Concurrent -Spec $specs.pep -Count $n -Commands $counts.BENCH_COMMANDS -RootId $deployment.ProcessId -Roots $roots -Ledger $deployment.Ledger
        $ssh = Measure-Concurrent -Spec $specs.ssh -Count $n -Commands $counts.BENCH_COMMANDS -RootId $sshd.ProcessId -Roots $roots -Ledger $null
        $mib = 1MB
        $rows.Add((New-Row "(4) $n sessions at once × $($counts.BENCH_COMMANDS) commands: total (s)" (Format-Number ($pep.TotalMs / 1000) 1) (Format-Number ($ssh.TotalMs / 1000) 1) (Format-Ratio ($pep.TotalMs / $ssh.TotalMs)) 'reported' $null `
            'one run per side: a single figure, no p95.'))
        $rows.Add((New-Row '(4) errors' "$($pep.Errors)" "$($ssh.Errors)" '' '0' ($pep.Errors -eq 0) `
            ("sessions opened: $($pep.Opened) of $n (endpoint), $($ssh.Opened) of $n (baseline); commands answered: $($pep.Ran) and $($ssh.Ran) of $($n * $counts.BENCH_COMMANDS)." + $(if ($pep.Problems) { ' Endpoint errors: ' + ($pep.Problems -join '; ') }) + $(if ($ssh.Problems) { ' Baseline errors: ' + ($ssh.Problems -join '; ') }))))
        $rows.Add((New-Row '(4) transcripts sealed (ledger entries)' "$($pep.Sealed) of $n" 'n/a' '' "all $n" ($pep.Sealed -eq $n)))
        $rows.Add((New-Row '(4) peak memory of the endpoint host (MiB)' (Format-Number ($pep.PeakBytes / $mib)) (Format-Number ($ssh.PeakBytes / $mib)) (Format-Ratio ($pep.PeakBytes / $ssh.PeakBytes)) 'reported' $null `
            'sum of RSS of pep serve and every process below it (baseline: sshd and below), sampled every 100 ms.'))
        $rows.Add((New-Row '(4) memory per idle session (MiB)' (Format-Number ($pep.PerIdleSessionBytes / $mib) 1) (Format-Number ($ssh.PerIdleSessionBytes / $mib) 1) (Format-Ratio ($pep.PerIdleSessionBytes / $ssh.PerIdleSessionBytes)) 'reported' $null `
            "(RSS with the $n sessions open and idle after their commands − RSS of the quiet host before) / $n."))
    }
}
finally {
    foreach ($session in $sessions.Values) { Remove-PSSession $session -ErrorAction Ignore }
}

$report = Format-Report -Rows $rows -Machine $machine -LoadStart $loadStart -LoadEnd (Get-LoadAverage) -Counts $counts -Elapsed $started.Elapsed
Write-Host ''
$report | ForEach-Object { Write-Host $_ }
if ($writeReadme) {
    Write-ReadmeReport -Path "$Repo/bench/README.md" -Report $report
    Write-Host "`nbench: table written to bench/README.md"
}
if ($failed) { exit 1 }
