# The table: one row per figure, endpoint and baseline as "median / p95" of the same run, the ratio, the
# target beside it and whether it was met. Also the machine it ran on.

$script:Invariant = [cultureinfo]::InvariantCulture

function Get-Machine {
    $cpu = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.*)$' | Select-Object -First 1).Matches[0].Groups[1].Value
    $memory = [double]((Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s*(\d+)').Matches[0].Groups[1].Value) / 1MB
    [pscustomobject]@{
        Date = [DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm', $script:Invariant) + ' UTC'
        Cpus = [Environment]::ProcessorCount
        Cpu = $cpu
        MemoryGiB = [math]::Round($memory, 1)
        Kernel = (& uname -r)
        Dotnet = (& dotnet --version)
        Pwsh = $PSVersionTable.PSVersion.ToString()
        Commit = (& git -C $Repo rev-parse --short HEAD) + $(if (& git -C $Repo status --porcelain --untracked-files=no) { ' (with local changes)' } else { '' })
    }
}

function Get-LoadAverage { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' }

function Format-Pair {
    param($Samples, [double] $Scale = 1, [int] $Digits = 0)
    if ($null -eq $Samples -or $Samples.Count -eq 0) { return 'n/a' }
    $summary = Get-Summary ([double[]]($Samples | ForEach-Object { $_ * $Scale }))
    if ($summary.Count -eq 1) { return (Format-Number $summary.Median $Digits) }
    "$(Format-Number $summary.Median $Digits) / $(Format-Number $summary.P95 $Digits)"
}

function Get-Median { param($Samples) (Get-Summary ([double[]]$Samples)).Median }

function New-Row {
    param([string] $Figure, [string] $Endpoint, [string] $Baseline, [string] $Ratio, [string] $Target, $Met, [string] $Note = '')
    $result = if ($null -eq $Met) { 'reported' } elseif ($Met) { 'met' } else { 'missed' }
    [pscustomobject]@{ Figure = $Figure; Endpoint = $Endpoint; Baseline = $Baseline; Ratio = $Ratio; Target = $Target; Result = $result; Note = $Note }
}

function New-FailedRow {
    param([string] $Figure, [string] $Message)
    [pscustomobject]@{ Figure = $Figure; Endpoint = 'failed'; Baseline = ''; Ratio = ''; Target = ''; Result = 'error'; Note = $Message }
}

function Format-Ratio { param([double] $Value) if ([double]::IsNaN($Value) -or [double]::IsInfinity($Value)) { 'n/a' } else { $Value.ToString('0.00', $script:Invariant) + '×' } }

function Format-Table {
    param($Rows)
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('| figure | endpoint (median / p95) | baseline (median / p95) | ratio | target | result |')
    $lines.Add('|---|---|---|---|---|---|')
    foreach ($row in $Rows) { $lines.Add("| $($row.Figure) | $($row.Endpoint) | $($row.Baseline) | $($row.Ratio) | $($row.Target) | $($row.Result) |") }
    $lines
}

function Format-Report {
    param($Rows, $Machine, [string] $LoadStart, [string] $LoadEnd, [hashtable] $Counts, [TimeSpan] $Elapsed)
    $text = [Collections.Generic.List[string]]::new()
    $text.Add("Ran $($Machine.Date) on $($Machine.Cpus) CPUs ($($Machine.Cpu)), $($Machine.MemoryGiB) GiB, Linux $($Machine.Kernel), .NET SDK $($Machine.Dotnet), PowerShell $($Machine.Pwsh), commit $($Machine.Commit).")
    $text.Add("Load average (1, 5, 15 min) at start: $LoadStart; at end: $LoadEnd. Whole run: $([math]::Round($Elapsed.TotalMinutes, 1)) min.")
    $text.Add("Counts: " + (($Counts.GetEnumerator() | Sort-Object Key | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ', ') + '.')
    $text.Add('')
    foreach ($line in (Format-Table $Rows)) { $text.Add($line) }
    $notes = @($Rows | Where-Object Note)
    if ($notes) {
        $text.Add('')
        foreach ($row in $notes) { $text.Add("- $($row.Figure): $($row.Note)") }
    }
    $text
}

# Replaces everything below the marker in bench/README.md with the report; the text above stays.
function Write-ReadmeReport {
    param([string] $Path, $Report)
    $marker = '<!-- latest results: written by bench/run.sh; everything below this line is replaced -->'
    $readme = Get-Content -Raw $Path
    $at = $readme.IndexOf($marker)
    if ($at -lt 0) { throw "$Path has no results marker" }
    $readme.Substring(0, $at + $marker.Length) + "`n`n" + ($Report -join "`n") + "`n" | Set-Content -NoNewline -Path $Path
}
