using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Cli.Commands;

/// <summary>
/// The break-the-glass part of <c>pep demo</c>'s tour: the demo plays the vendor too, with an authority of its
/// own beside the stamp's temporary state directory (never inside it: the stamp holds only the public bundle, as
/// with a real vendor), and grants through the real <c>pep authority grant</c>.
/// </summary>
internal static class DemoSupportTour
{
    /// <summary>The demo vendor's folder, a sibling of the state directory: <c>&lt;state&gt;-vendor-authority</c>.</summary>
    public static string VendorAuthorityDirectory(StateLayout layout)
        => Path.TrimEndingDirectorySeparator(Path.GetFullPath(layout.Root)) + "-vendor-authority";

    /// <summary>
    /// Makes the demo vendor's authority (its private keys in a new folder of mode 0700 outside the state
    /// directory) and registers its public bundle with the demo deployment.
    /// </summary>
    public static string CreateAuthority(StateLayout layout)
    {
        string directory = VendorAuthorityDirectory(layout);
        using (SupportAuthority.Create(directory, TimeProvider.System))
        {
            SupportAuthorityRegistration.Register(layout, Path.Combine(directory, SupportAuthority.PublicBundleFile));
        }

        return directory;
    }

    /// <summary>The tour step; runs after the client prelude (which defines Step, $cred and $thumbprint).</summary>
    public static string Script(string computers, string authorityDirectory) => $$"""

        $pepCommand = @({{PepCommandLine()}})
        Step 'Break the glass: $pep = New-PepSession ...; Invoke-Command -Session $pep { Get-SupportSessionToken }'
        $pep = New-PepSession -ComputerName {{computers}} -Credential $cred -CertificateThumbprint $thumbprint -Culture en-US
        $request = Invoke-Command -Session $pep { Get-SupportSessionToken }
        Write-Host $request

        Step 'The vendor, on its own machine: pep authority grant --key {{Quote(authorityDirectory)}} --duration 10s < request.txt'
        $response = ($request | & $pepCommand[0] @($pepCommand | Select-Object -Skip 1) authority grant --key '{{Quote(authorityDirectory)}}' --duration 10s --granted-by 'demo vendor') -join "`n"
        if ($LASTEXITCODE -ne 0) { throw 'pep authority grant failed' }
        Write-Host $response

        Step 'Invoke-Command -Session $pep { Unlock-SupportSession $using:response }'
        Invoke-Command -Session $pep { Unlock-SupportSession $using:response } | Format-List State, UnlockedBy, ElevatedSinceUtc, ElevatedUntilUtc | Out-Host

        Step 'Invoke-Command -Session $pep { 1+1; $ExecutionContext.SessionState.LanguageMode; uname -sr }      # elevated: full PowerShell'
        Invoke-Command -Session $pep { 1+1; "$($ExecutionContext.SessionState.LanguageMode)"; uname -sr } | Out-Host

        Step 'Waiting for the 10 s grant to run out: Get-SupportSessionInfo until State is Locked'
        $deadline = (Get-Date).AddSeconds(40)
        do { Start-Sleep -Seconds 1; $info = Invoke-Command -Session $pep { Get-SupportSessionInfo } -WarningAction Continue } while ($info.State -ne 'Locked' -and (Get-Date) -lt $deadline)
        $info | Format-List State, LastLockBackUtc, LastLockBackReason | Out-Host

        Step 'Invoke-Command -Session $pep { 1+1 }      # locked back: scripting is refused again'
        try { Invoke-Command -Session $pep { 1+1 } } catch { Write-Host "Refused: $($_.FullyQualifiedErrorId)" -ForegroundColor Yellow }
        Remove-PSSession $pep
        """;

    /// <summary>How the client calls this same pep: the apphost, or dotnet with pep.dll.</summary>
    private static string PepCommandLine()
    {
        string process = Environment.ProcessPath ?? "dotnet";
        string dll = Path.Combine(AppContext.BaseDirectory, "pep.dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"'{Quote(process)}', '{Quote(dll)}'" : $"'{Quote(process)}'";
    }

    private static string Quote(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
