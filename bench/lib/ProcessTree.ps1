# The endpoint host as the bench sees it: a root process (pep serve, or sshd) and all its descendants,
# read from /proc: resident memory (sum of RSS) and CPU time (utime + stime, in clock ticks).

$script:PageSize = [long](& getconf PAGESIZE)
$script:TicksPerSecond = [long](& getconf CLK_TCK)

function Get-TreeSample {
    param([int] $RootId)
    $parent = @{}; $rss = @{}; $ticks = @{}; $runnable = @{}
    foreach ($dir in [IO.Directory]::EnumerateDirectories('/proc')) {
        $name = [IO.Path]::GetFileName($dir)
        if ($name -notmatch '^\d+$') { continue }
        try { $stat = [IO.File]::ReadAllText("$dir/stat") } catch { continue }
        # Fields after the command name (which may hold spaces): state ppid ... (field n is rest[n-3]).
        $rest = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
        $id = [int]$name
        $parent[$id] = [int]$rest[1]
        $runnable[$id] = $rest[0] -eq 'R'
        $ticks[$id] = [long]$rest[11] + [long]$rest[12]
        $rss[$id] = [long]$rest[21] * $script:PageSize
    }
    $children = @{}
    foreach ($id in $parent.Keys) { $p = $parent[$id]; if (-not $children[$p]) { $children[$p] = [Collections.Generic.List[int]]::new() }; $children[$p].Add($id) }
    $members = [Collections.Generic.List[int]]::new()
    $queue = [Collections.Generic.Queue[int]]::new(); if ($rss.ContainsKey($RootId)) { $queue.Enqueue($RootId) }
    while ($queue.Count) { $id = $queue.Dequeue(); $members.Add($id); foreach ($c in @($children[$id])) { if ($null -ne $c) { $queue.Enqueue($c) } } }
    $totalRss = 0L; $totalTicks = 0L; $running = 0
    foreach ($id in $members) { $totalRss += $rss[$id]; $totalTicks += $ticks[$id]; if ($runnable[$id]) { $running++ } }
    [pscustomobject]@{ Processes = $members.Count; RssBytes = $totalRss; CpuTicks = $totalTicks; Runnable = $running }
}

<#
Waits until the tree is quiet: under 5 % of one core over a 300 ms window and no process of it runnable at
either end of the window (on a loaded machine a starved process uses little CPU but is still runnable): a
session host still starting, a pool refilling or a transcript being sealed is not quiet. At most
$TimeoutSeconds. Each timed login
then starts from an idle endpoint, as an operator's login does. Returns whether it got quiet.
#>
function Wait-Quiet {
    param([int[]] $RootIds, [double] $TimeoutSeconds = 20)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $before = @($RootIds | ForEach-Object { Get-TreeSample $_ })
    while ([DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 300
        $after = @($RootIds | ForEach-Object { Get-TreeSample $_ })
        $cpu = (($after | Measure-Object CpuTicks -Sum).Sum - ($before | Measure-Object CpuTicks -Sum).Sum) / $script:TicksPerSecond
        $runnable = ($before | Measure-Object Runnable -Sum).Sum + ($after | Measure-Object Runnable -Sum).Sum
        if ($cpu -lt 0.05 * 0.3 -and $runnable -eq 0) { return $true }
        $before = $after
    }
    $false
}

# Samples the tree's RSS every 100 ms on a thread until stopped; returns the peak.
function Start-RssSampler {
    param([int] $RootId)
    $stop = [Threading.ManualResetEventSlim]::new($false)
    $job = Start-ThreadJob -ArgumentList $RootId, $stop, "$PSScriptRoot/ProcessTree.ps1" -ScriptBlock {
        param($root, $stop, $lib)
        . $lib
        $peak = 0L
        do {
            $sample = Get-TreeSample $root
            if ($sample.RssBytes -gt $peak) { $peak = $sample.RssBytes }
        } until ($stop.Wait(100))
        $peak
    }
    [pscustomobject]@{ Job = $job; Stop = $stop }
}

function Stop-RssSampler {
    param($Sampler)
    $Sampler.Stop.Set()
    $peak = Receive-Job $Sampler.Job -Wait -AutoRemoveJob
    [long]$peak
}
