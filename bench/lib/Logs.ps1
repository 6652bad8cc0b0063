<#
(5) Get-AzureStackLog over generated role logs (8 roles of 8 files, $Mib MiB in all) against `zip -r -1`
of the same files. The stamp manifest declares the 8 roles with those folders as log sources; the cmdlet
writes under the deployment's allowed output root. Runs alternate; every archive of the last run of each
side goes through `unzip -t`, and the endpoint's archives must hold every generated file. CPU time is
taken too (the endpoint's process tree from /proc, zip's from /usr/bin/time): on a loaded machine the
wall-clock ratio favours whichever side runs more threads, CPU time does not.
#>
function Measure-LogCollection {
    param($Session, [string] $Work, [int] $Mib, [int] $Runs, [string] $ManifestPath, [string] $OutputRoot, [string] $Repo, [int] $EndpointRootId)
    $logs = Join-Path $Work 'logs'
    & "$Repo/bench/lib/make-logs.sh" $logs $Mib
    if ($LASTEXITCODE) { throw 'generating the logs failed' }
    $roles = @(Get-ChildItem -Directory $logs | Sort-Object Name)
    $files = @(Get-ChildItem -File -Recurse $logs)
    $bytes = ($files | Measure-Object Length -Sum).Sum
    $manifest = [ordered]@{
        schema = 1; name = 'azs'; region = 'local'; domain = 'azurestack.external'
        nodes = @(@{ name = 'AZS-NODE01'; address = '127.0.0.1' })
        roles = @($roles | ForEach-Object -Begin { $order = 0 } -Process {
            $order += 10
            [ordered]@{ name = $_.Name; order = $order; logs = @(@{ path = $_.FullName; pattern = '*.log'; node = 'AZS-NODE01' }) }
        })
    }
    $manifest | ConvertTo-Json -Depth 6 | Set-Content -Path $ManifestPath
    $zipFolder = Join-Path $Work 'zip'
    New-Item -ItemType Directory -Path $zipFolder -Force | Out-Null
    $samples = New-Samples 'pep', 'zip', 'pepCpu', 'zipCpu'
    $lastPep = $null; $lastZip = $null
    for ($run = 0; $run -lt $Runs; $run++) {
        foreach ($side in (Get-Order $run @('pep', 'zip'))) {
            if ($side -eq 'pep') {
                if ($lastPep) { Remove-Item -Recurse -Force (Split-Path $lastPep[0].Path) }
                $ticks = (Get-TreeSample $EndpointRootId).CpuTicks
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $archives = @(Invoke-Command -Session $Session -ArgumentList $OutputRoot { param($out) Get-AzureStackLog -OutputPath $out } -ErrorAction Stop 6>$null)
                $watch.Stop()
                $samples.pepCpu.Add(((Get-TreeSample $EndpointRootId).CpuTicks - $ticks) * 1000 / $script:TicksPerSecond)
                $lastPep = @($archives | ForEach-Object { [pscustomobject]@{ Path = $_.Archive; Files = $_.Files; Complete = $_.Complete } })
            }
            else {
                $lastZip = Join-Path $zipFolder 'logs.zip'
                Remove-Item $lastZip -ErrorAction Ignore
                $watch = [Diagnostics.Stopwatch]::StartNew()
                Push-Location $Work
                try { & /usr/bin/time -o "$zipFolder/cpu" -f '%U %S' zip -r -1 -q $lastZip logs } finally { Pop-Location }
                $watch.Stop()
                if ($LASTEXITCODE) { throw "zip failed with $LASTEXITCODE" }
                $samples.zipCpu.Add(((Get-Content "$zipFolder/cpu" | Select-Object -Last 1) -split ' ' | ForEach-Object { [double]::Parse($_, [cultureinfo]::InvariantCulture) } | Measure-Object -Sum).Sum * 1000)
            }
            $samples[$side].Add($watch.Elapsed.TotalMilliseconds)
        }
    }
    $problems = [Collections.Generic.List[string]]::new()
    if (($lastPep | Measure-Object Files -Sum).Sum -ne $files.Count) { $problems.Add("Get-AzureStackLog archived $(($lastPep | Measure-Object Files -Sum).Sum) of $($files.Count) files") }
    if ($lastPep.Count -ne $roles.Count -or ($lastPep | Where-Object { -not $_.Complete })) { $problems.Add('Get-AzureStackLog did not return one complete archive per role') }
    foreach ($archive in @($lastPep.Path) + $lastZip) {
        $null = & unzip -tqq $archive 2>&1
        if ($LASTEXITCODE) { $problems.Add("unzip -t refused $(Split-Path -Leaf $archive) (exit $LASTEXITCODE)") }
    }
    $pepBytes = ($lastPep | ForEach-Object { (Get-Item $_.Path).Length } | Measure-Object -Sum).Sum
    [pscustomobject]@{
        Samples = $samples; InputBytes = $bytes; Files = $files.Count
        PepArchiveBytes = $pepBytes; ZipArchiveBytes = (Get-Item $lastZip).Length; Problems = $problems
    }
}
