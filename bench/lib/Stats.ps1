# Median and 95th percentile (nearest rank) of a list of numbers.

function Get-Summary {
    param([double[]] $Values)
    if ($Values.Count -eq 0) { return [pscustomobject]@{ Count = 0; Median = [double]::NaN; P95 = [double]::NaN } }
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    $median = if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
    $rank = [math]::Max(1, [math]::Ceiling(0.95 * $n))
    [pscustomobject]@{ Count = $n; Median = $median; P95 = $sorted[$rank - 1] }
}

function Format-Number {
    param([double] $Value, [int] $Digits = 0)
    if ([double]::IsNaN($Value)) { return 'n/a' }
    $Value.ToString("N$Digits", [cultureinfo]::InvariantCulture)
}
