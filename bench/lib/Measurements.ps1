# The seven measurements. Each returns raw samples; Report.ps1 turns them into the table. Endpoint and
# baseline runs alternate (A B B A ...) so that a change in the machine's load falls on both alike.

# The small command of (1), (2), (4) and (6): one both sides have, answered by PowerShell itself with the
# same object. (Get-Command Get-Help, used before, answers a FunctionInfo on the endpoint, where Get-Help is
# a proxy, and a CmdletInfo on plain pwsh: serializing the FunctionInfo alone took ~16 ms in-process, so the
# figure compared the size of two different answers, not the two transports.)
$script:SmallCommand = { Measure-Object -InputObject 1 }

function Invoke-Small { param($Session) $null = Invoke-Command -Session $Session -ScriptBlock $script:SmallCommand -ErrorAction Stop }

function Get-Order { param([int] $Run, [string[]] $Sides) if ($Run % 2) { [array]::Reverse($Sides) }; $Sides }

function New-Samples { param([string[]] $Sides) $samples = @{}; foreach ($side in $Sides) { $samples[$side] = [Collections.Generic.List[double]]::new() }; $samples }

<#
(1) Time to a usable session: from the call of New-PepSession (or New-PSSession) until the session has
answered its first command (the small command above): a session that opened but cannot yet run a command
is not usable. Each login starts from a quiet endpoint; one login per side first, not counted (the
client's own first-use costs).
#>
function Measure-SessionOpen {
    param([hashtable] $Specs, [int] $Runs, [int[]] $Roots)
    $sides = [string[]]$Specs.Keys
    $samples = New-Samples $sides
    for ($run = 0; $run -le $Runs; $run++) {
        foreach ($side in (Get-Order $run ([string[]]$sides.Clone()))) {
            $null = Wait-Quiet $Roots -TimeoutSeconds 60
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $session = & $script:OpenSession $Specs[$side]
            Invoke-Small $session
            $watch.Stop()
            Remove-PSSession $session
            if ($run -gt 0) { $samples[$side].Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    $samples
}

# Round trips of the small command on open sessions, after a few not counted.
function Measure-RoundTrip {
    param([hashtable] $Sessions, [int] $Runs, [int[]] $Roots)
    $sides = [string[]]$Sessions.Keys
    $samples = New-Samples $sides
    foreach ($side in $sides) { 1..5 | ForEach-Object { Invoke-Small $Sessions[$side] } }
    # Count from quiet endpoints: the logins just made leave the warm pool refilling (pwsh starting and warming
    # up, over a second of CPU each); round trips counted beside that on two cores measure the refill.
    if ($Roots) { $null = Wait-Quiet $Roots -TimeoutSeconds 60 }
    for ($run = 0; $run -lt $Runs; $run++) {
        foreach ($side in (Get-Order $run ([string[]]$sides.Clone()))) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Invoke-Small $Sessions[$side]
            $watch.Stop()
            $samples[$side].Add($watch.Elapsed.TotalMilliseconds)
        }
    }
    $samples
}

<#
(3) A command returning $Count small objects. Endpoint: Test-AzureStack -List over a stamp whose manifest
declares $Count health test categories (one object per category: name, roles, tests), the manifest read
afresh by the cmdlet as always. Baseline: the same objects (same properties and values), already built in
the SSH session, returned by one command: the transport and serialisation alone, nothing computed.
Also measured: the endpoint's fixed cost of the same cmdlet returning one object (manifest read).
#>
function Measure-Throughput {
    param([hashtable] $Sessions, [int] $Count, [int] $Runs, [string] $ManifestPath)
    $json = [Text.StringBuilder]::new('{"schema":1,"name":"azs","region":"local","domain":"azurestack.external","nodes":[{"name":"AZS-NODE01","address":"127.0.0.1"}],"roles":[{"name":"Bench","order":10,"healthTests":[')
    for ($i = 1; $i -le $Count; $i++) {
        if ($i -gt 1) { $null = $json.Append(',') }
        $null = $json.Append('{"category":"C').Append($i.ToString('D6')).Append('","name":"t').Append($i.ToString('D6')).Append('","kind":"FreeDisk","path":"/","minFreeMegabytes":1}')
    }
    $null = $json.Append(']}]}')
    [IO.File]::WriteAllText($ManifestPath, $json.ToString())
    Invoke-Command -Session $Sessions.ssh -ArgumentList $Count -ScriptBlock {
        param($count)
        $global:benchObjects = foreach ($i in 1..$count) { [pscustomobject]@{ Category = 'C' + $i.ToString('D6'); Roles = @('Bench'); Tests = @('t' + $i.ToString('D6')) } }
    }
    $commands = @{ pep = { Test-AzureStack -List }; ssh = { $global:benchObjects } }
    # Warm-up on a small answer of the same commands (a full one costs as much as a counted run).
    $null = Invoke-Command -Session $Sessions.pep { Test-AzureStack -List -Include C000001 } -ErrorAction Stop
    $null = Invoke-Command -Session $Sessions.ssh { $global:benchObjects[0..999] } -ErrorAction Stop
    $samples = New-Samples 'pep', 'ssh'
    for ($run = 1; $run -le $Runs; $run++) {
        foreach ($side in (Get-Order $run @('pep', 'ssh'))) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $received = Invoke-Command -Session $Sessions[$side] -ScriptBlock $commands[$side] -ErrorAction Stop
            $watch.Stop()
            if ($received.Count -ne $Count) { throw "(3) $side returned $($received.Count) objects, not $Count" }
            $samples[$side].Add($watch.Elapsed.TotalMilliseconds)
            $received = $null
        }
    }
    $fixed = [Collections.Generic.List[double]]::new()
    for ($run = 0; $run -lt 3; $run++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $null = Invoke-Command -Session $Sessions.pep { Test-AzureStack -List -Include C000001 } -ErrorAction Stop
        $fixed.Add($watch.Elapsed.TotalMilliseconds)
    }
    Invoke-Command -Session $Sessions.ssh { Remove-Variable -Scope Global benchObjects }
    $samples.pepOneObject = $fixed
    $samples
}

<#
(4) $Count sessions opened at once, each running $Commands small commands: total time (first open to last
answer), errors (failed opens and commands), peak RSS of the endpoint host (root process and all its
descendants, sampled every 100 ms), then, with the sessions open and the host quiet, RSS above the quiet
host before the test / $Count. Then the sessions close; for the endpoint, every one must be sealed: the
ledger has $Count entries of sessions started since the burst began (within 120 s).
#>
function Measure-Concurrent {
    param([hashtable] $Spec, [int] $Count, [int] $Commands, [int] $RootId, [int[]] $Roots, [string] $Ledger)
    $null = Wait-Quiet $Roots -TimeoutSeconds 60
    $ledgerBefore = if ($Ledger -and (Test-Path $Ledger)) { @(Get-Content $Ledger).Count } else { 0 }
    $quietRss = (Get-TreeSample $RootId).RssBytes
    $sampler = Start-RssSampler $RootId
    $done = [Threading.CountdownEvent]::new($Count)
    $release = [Threading.ManualResetEventSlim]::new($false)
    $SmallCommandText = $script:SmallCommand.ToString()
    $burstStarted = [DateTimeOffset]::UtcNow
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $job = 1..$Count | ForEach-Object -AsJob -ThrottleLimit $Count -Parallel {
        $errors = 0; $ran = 0; $session = $null; $problem = $null
        try {
            $session = & ([scriptblock]::Create($using:OpenSessionText)) $using:Spec
            for ($i = 0; $i -lt $using:Commands; $i++) {
                try { $null = Invoke-Command -Session $session -ScriptBlock ([scriptblock]::Create($using:SmallCommandText)) -ErrorAction Stop; $ran++ } catch { $errors++; $problem = "command: $_" }
            }
        }
        catch { $errors++; $problem = "login: $_" }
        finally { $null = ($using:done).Signal() }
        # Stay open (idle) until the memory of idle sessions has been read.
        $null = ($using:release).Wait([TimeSpan]::FromMinutes(5))
        if ($session) { Remove-PSSession $session }
        [pscustomobject]@{ Errors = $errors; Ran = $ran; Opened = [bool]$session; Problem = $problem }
    }
    $finished = $done.Wait([TimeSpan]::FromMinutes(8))
    $watch.Stop()
    $peak = Stop-RssSampler $sampler
    $null = Wait-Quiet $Roots -TimeoutSeconds 60
    $idleRss = (Get-TreeSample $RootId).RssBytes
    $release.Set()
    $results = @(Receive-Job $job -Wait -AutoRemoveJob)
    $errors = ($results | Measure-Object Errors -Sum).Sum + ($Count - $results.Count)
    if (-not $finished) { $errors++ }
    $sealed = $null
    if ($Ledger) {
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        do {
            # Only the sessions this burst started: the session kept open for the other figures may end meanwhile.
            $sealed = @(Get-Content $Ledger -ErrorAction Ignore | Select-Object -Skip $ledgerBefore |
                ForEach-Object { ConvertFrom-Json $_ -DateKind String } |
                Where-Object { [DateTimeOffset]::Parse($_.startedUtc, [cultureinfo]::InvariantCulture) -ge $burstStarted }).Count
            if ($sealed -ge $Count) { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
    }
    [pscustomobject]@{
        TotalMs = $watch.Elapsed.TotalMilliseconds; Errors = $errors; Ran = ($results | Measure-Object Ran -Sum).Sum
        Problems = @($results.Problem | Where-Object { $_ } | ForEach-Object { $_ -replace '\s+', ' ' } | Group-Object | Sort-Object Count -Descending | Select-Object -First 3 | ForEach-Object { "$($_.Count)× $($_.Name)" })
        Opened = @($results | Where-Object Opened).Count
        PeakBytes = $peak; QuietBytes = $quietRss; IdleBytes = $idleRss; PerIdleSessionBytes = ($idleRss - $quietRss) / $Count; Sealed = $sealed
    }
}

<#
(7) From the client's end of a session to its sealed transcript: the ledger (transcripts/ledger.jsonl) has
one more line. Two ways a session ends: the client closes it (Remove-PSSession; the stopwatch starts before
the call, which returns once the host acknowledged), and its host is killed with SIGKILL (the host's pid from
the gateway's "Session ... started ... (host pid N)" line; the stopwatch starts at the kill). Each session is
opened and has answered the small command first; each run starts from a quiet endpoint.
#>
function Measure-SessionEnd {
    param([hashtable] $Spec, [int] $Runs, [int[]] $Roots, [string] $Ledger, [string] $GatewayLog)
    $samples = New-Samples 'close', 'kill'
    for ($run = 0; $run -lt $Runs; $run++) {
        foreach ($way in (Get-Order $run @('close', 'kill'))) {
            $null = Wait-Quiet $Roots -TimeoutSeconds 60
            $session = & $script:OpenSession $Spec
            Invoke-Small $session
            $before = @(Get-Content $Ledger -ErrorAction Ignore).Count
            if ($way -eq 'close') {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                Remove-PSSession $session
            }
            else {
                # The session's host is the one its start (event 1200) names: since the pool refills after a login's first
                # answer, the last host the log names is usually the next warm one.
                $hostId = [int]([regex]::Matches((Get-Content -Raw $GatewayLog), 'Pep\.Gateway\[1200\][^\n]*\(host pid (\d+)\)') | Select-Object -Last 1).Groups[1].Value
                $watch = [Diagnostics.Stopwatch]::StartNew()
                [Diagnostics.Process]::GetProcessById($hostId).Kill()
            }
            while (@(Get-Content $Ledger -ErrorAction Ignore).Count -le $before) {
                if ($watch.Elapsed.TotalSeconds -gt 60) { throw "(7) no ledger entry within 60 s after the session's $way" }
                Start-Sleep -Milliseconds 2
            }
            $watch.Stop()
            $samples[$way].Add($watch.Elapsed.TotalMilliseconds)
            if ($way -eq 'kill') { Remove-PSSession $session -ErrorAction Ignore }
        }
    }
    $samples
}

<#
(8) A login under a flood: the time to a usable session of (1), on the quiet endpoint and while five other
loopback addresses (127.0.0.10-14) flood it with bare connections (more than a source may hold), TLS
handshakes sent a byte a second, and wrong passwords for cloudadmin and for unknown accounts. The flood is
the end-to-end tests' own (tests/Pep.EndToEnd.Tests/Infrastructure/LoginFlood.cs, compiled here with
Add-Type); it starts once the endpoint is quiet and runs for 5 s before each flooded login, so that it holds
everything it can hold. Quiet and flooded logins alternate.
#>
function Measure-LoginUnderFlood {
    param([hashtable] $Spec, [int] $Runs, [int[]] $Roots, $Deployment, [string] $Repo, [int] $BareConnections)
    $infrastructure = "$Repo/tests/Pep.EndToEnd.Tests/Infrastructure"
    if (-not ('Pep.EndToEnd.Tests.Infrastructure.LoginFlood' -as [type])) { Add-Type -Path "$infrastructure/Hosts/RawLogin.cs", "$infrastructure/LoginFlood.cs" }
    $samples = New-Samples 'flood', 'quiet'
    $answers = @{}
    for ($run = 0; $run -le $Runs; $run++) {
        foreach ($side in (Get-Order $run @('quiet', 'flood'))) {
            $flood = $null
            # Both start from a quiet endpoint (the last session sealed, the warm pool refilled), as in (1).
            $null = Wait-Quiet $Roots -TimeoutSeconds 60
            if ($side -eq 'flood') {
                $flood = [Pep.EndToEnd.Tests.Infrastructure.LoginFlood]::Start($Deployment.Port, $Deployment.Thumbprint, 5, $BareConnections)
                Start-Sleep -Seconds 5
            }
            try {
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $session = & $script:OpenSession $Spec
                Invoke-Small $session
                $watch.Stop()
                Remove-PSSession $session
            }
            finally {
                if ($flood) {
                    $flood.DisposeAsync().AsTask().GetAwaiter().GetResult()
                    foreach ($answer in $flood.GuessAnswers.GetEnumerator()) { $answers["$([int]$answer.Key)"] += $answer.Value }
                }
            }
            if ($run -gt 0) { $samples[$side].Add($watch.Elapsed.TotalMilliseconds) }
        }
    }
    @{ Samples = $samples; Answers = $answers }
}
