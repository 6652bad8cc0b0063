<#
The endpoint's own session host served over SSH, for (2) and (6), without any switch in the product: the
session configuration (.pssc) a running session host of the endpoint was started with is copied twice, once transcribing into a folder of the bench
and once without its TranscriptDirectory line, and both are served as SSH subsystems of the bench's sshd
(`pwsh -sshs -ConfigurationFile`, with a session identity in the environment as the gateway gives it).
(6) measures the round trip of (2) on both: same host, same module, same restrictions, same transport; the
only difference is PowerShell's transcription. (2) compares the transcribed one, the same host the gateway
serves, with the gateway: the difference is the gateway and its client transport against sshd and PowerShell's
SSH transport. Returns the reason instead when the endpoint's hosts are no longer transcribed through their
.pssc (then this method needs revisiting, not a number).
#>
function Open-EndpointHostOverSsh {
    param([int] $EndpointRootId, $Sshd, [string] $Work)
    $configuration = $null
    foreach ($dir in [IO.Directory]::EnumerateDirectories('/proc')) {
        if ([IO.Path]::GetFileName($dir) -notmatch '^\d+$') { continue }
        try { $arguments = [IO.File]::ReadAllText("$dir/cmdline").Split([char]0) } catch { continue }
        $at = [array]::IndexOf($arguments, '-ConfigurationFile')
        if ($at -lt 0 -or $at + 1 -ge $arguments.Count -or -not (Test-Path $arguments[$at + 1])) { continue }
        # Only a host of this bench's endpoint (a descendant of its pep serve).
        $ancestor = [int][IO.Path]::GetFileName($dir)
        while ($ancestor -gt 1 -and $ancestor -ne $EndpointRootId) {
            try { $stat = [IO.File]::ReadAllText("/proc/$ancestor/stat") } catch { break }
            $ancestor = [int]$stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[1]
        }
        if ($ancestor -eq $EndpointRootId) { $configuration = Get-Content -Raw $arguments[$at + 1]; break }
    }
    if (-not $configuration) { return [pscustomobject]@{ Reason = 'no session host with a -ConfigurationFile found under pep serve' } }
    $line = '(?m)^TranscriptDirectory\s*=.*\r?\n'
    if ($configuration -notmatch $line) { return [pscustomobject]@{ Reason = 'the session hosts are not transcribed through TranscriptDirectory in their .pssc any more' } }
    $folder = Join-Path $Work 'transcripts-on'
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    [regex]::Replace($configuration, $line, "TranscriptDirectory = '$folder'`n") | Set-Content "$($Sshd.Directory)/transcribed.pssc"
    [regex]::Replace($configuration, $line, '') | Set-Content "$($Sshd.Directory)/untranscribed.pssc"
    $sessions = @{
        on = & $script:OpenSession (New-SessionSpec ssh -Sshd $Sshd -Subsystem pep-transcribed)
        off = & $script:OpenSession (New-SessionSpec ssh -Sshd $Sshd -Subsystem pep-untranscribed)
    }
    foreach ($side in 'on', 'off') {
        $refused = try { Invoke-Command -Session $sessions[$side] { 1 + 1 } -ErrorAction Stop; $false } catch { $_.FullyQualifiedErrorId -like 'ScriptsNotAllowed*' }
        if (-not $refused) { Remove-PSSession $sessions.on, $sessions.off; throw "the $side host over SSH is not the restricted endpoint session (a script ran)" }
    }
    [pscustomobject]@{ On = $sessions.on; Off = $sessions.off; Folder = $folder; Reason = $null }
}

# The round trip of (2) on the endpoint's host over SSH, with and without its transcript.
function Measure-TranscriptOverhead {
    param($OverSsh, [int] $Runs, [int[]] $Roots)
    if ($OverSsh.Reason) { return [pscustomobject]@{ Reason = $OverSsh.Reason } }
    $samples = Measure-RoundTrip -Sessions @{ on = $OverSsh.On; off = $OverSsh.Off } -Runs $Runs -Roots $Roots
    $written = @(Get-ChildItem -File -Recurse $OverSsh.Folder -Filter 'PowerShell_transcript*')
    if (-not $written -or -not ($written | Select-String -SimpleMatch 'Measure-Object' -Quiet)) { throw '(6) the transcribed host wrote no transcript of the commands' }
    [pscustomobject]@{ Samples = $samples; Reason = $null }
}
