using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Attempts to get out of the restricted session, each sent as the session user would send it, each with
/// the refusal it must yield and no output.
/// </summary>
public sealed class EscapeCorpusTests(RunningDeployment fixture) : IClassFixture<RunningDeployment>
{
    private const string ScriptsNotAllowed = "ScriptsNotAllowed";
    private const string NotFound = "CommandNotFoundException";
    private const string NoSuchParameter = "NamedParameterNotFound";

    /// <summary>Input text and the start of the FullyQualifiedErrorId it must yield.</summary>
    public static readonly IReadOnlyList<(string Text, string Error)> Corpus =
    [
        ("{ Get-Command }", ScriptsNotAllowed),
        ("& { Get-Command }", ScriptsNotAllowed),
        (". { Get-Command }", ScriptsNotAllowed),
        ("$x = 1", ScriptsNotAllowed),
        ("$env:PATH", ScriptsNotAllowed),
        ("$(id)", ScriptsNotAllowed),
        ("Get-Command -Name $(id)", ScriptsNotAllowed),
        ("Get-Command -OutVariable x", "VariableReferenceNotSupportedInDataSection"),
        ("Get-Command -Name Get-Command -OutVariable x; $x", ScriptsNotAllowed),
        ("Microsoft.PowerShell.Utility\\Invoke-Expression 'id'", NotFound),
        ("Microsoft.PowerShell.Management\\Get-ChildItem /", NotFound),
        ("Invoke-Expression 'id'", NotFound),
        ("iex 'id'", NotFound),
        ("Add-Type -TypeDefinition 'public class X {}'", NotFound),
        ("New-Object System.Net.WebClient", NotFound),
        ("[System.IO.File]::ReadAllText('/etc/passwd')", ScriptsNotAllowed),
        ("Start-Process id", NotFound),
        ("id", NotFound),
        ("/bin/sh -c id", NotFound),
        ("bash", NotFound),
        ("Import-Module Microsoft.PowerShell.Management", NotFound),
        ("Start-Job { id }", ScriptsNotAllowed),
        ("Start-ThreadJob -FilePath /etc/passwd", NotFound),
        ("Get-Job", NotFound),
        ("Invoke-Command -ScriptBlock { id }", ScriptsNotAllowed),
        ("New-PSSession", NotFound),
        ("Enter-PSHostProcess -Id 1", NotFound),
        ("Update-TypeData -TypeName System.String -MemberName Pwn -MemberType NoteProperty -Value 1", NotFound),
        ("Update-FormatData -AppendPath /etc/passwd", NotFound),
        ("Get-ChildItem Env:", NotFound),
        ("Get-Content /etc/passwd", NotFound),
        ("Get-Variable", NotFound),
        ("Set-PSDebug -Trace 2", NotFound),
        ("Get-Command > /tmp/pep-escape-redirect.txt", ScriptsNotAllowed),
        ("Get-Command >> /tmp/pep-escape-redirect.txt", ScriptsNotAllowed),
        ("Get-Command 2> /tmp/pep-escape-redirect.txt", ScriptsNotAllowed),
        ("Get-Help Get-Command -Online", NoSuchParameter),
        ("Get-Help -Path /etc", NoSuchParameter),
        ("Get-Command | Select-Object @{ n = 'x'; e = { id } }", ScriptsNotAllowed),
        ("Get-Command -Name Get-ChildItem", NotFound),
        ("Get-Command -Name /bin/sh", NotFound),
        ("Out-Default -Transcript", NoSuchParameter),
        // The restricted commands record their streams through a type of the endpoint module and a variable
        // of their proxy: neither is reachable, and the real cmdlets behind the proxies stay hidden.
        ("[Pep.SessionModule.Transcripts.RestrictedCommandStreams]::new('x')", ScriptsNotAllowed),
        ("[Pep.SessionModule.Transcripts.RestrictedCommandStreams]::Parameters(@{})", ScriptsNotAllowed),
        ("Get-Command -ErrorVariable pepStreams", "VariableReferenceNotSupportedInDataSection"),
        ("Get-Command -InformationVariable +pepStreams", "VariableReferenceNotSupportedInDataSection"),
        ("Get-Command -Name Get-Help -WarningVariable '+pepStreams'", "VariableReferenceNotSupportedInDataSection"),
        ("Microsoft.PowerShell.Utility\\Select-Object -InputObject 1", NotFound),
        ("Microsoft.PowerShell.Utility\\Measure-Object -InputObject 1", NotFound),
        ("Microsoft.PowerShell.Utility\\Get-FormatData", NotFound),
        ("Microsoft.PowerShell.Core\\Out-Default -InputObject 1", NotFound),
        ("Microsoft.PowerShell.Core\\Exit-PSSession", NotFound),
        ("Microsoft.PowerShell.Core\\Get-Help Get-Command", NotFound),
        ("Get-Command | Select-Object -Property Definition", "ParameterArgumentValidationError"),
        ("Get-Command | Select-Object -ExpandProperty Name", NoSuchParameter),
        ("Get-FormatData -TypeName ('x' * 2000)", "ParameterArgumentValidationError"),
        // NoLanguage folds constant expressions; the proxy's length limit still refuses the result.
        ("Get-Command -Name ('x' * 2000000)", "ParameterArgumentValidationError"),
        ("Get-Command -Name '" + new string('a', 1_500_000) + "'", "ParameterArgumentValidationError"),
    ];

    [Fact]
    public async Task EveryEscapeAttempt_IsRefusedAsExpected_AndYieldsNothing()
    {
        string corpusFile = Path.Combine(fixture.Deployment.StateDirectory, "corpus.json");
        await File.WriteAllTextAsync(corpusFile, JsonSerializer.Serialize(Corpus.Select(c => c.Text)));

        ProcessResult result = await fixture.Deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $results = foreach ($text in (Get-Content -Raw '{{corpusFile}}' | ConvertFrom-Json)) {
                $errs = $null
                $out = @(Invoke-Command -Session $pep -ScriptBlock ([scriptblock]::Create($text)) -ErrorVariable errs -ErrorAction SilentlyContinue 2>$null)
                [pscustomobject]@{ Error = "$((@($errs) | Select-Object -First 1).FullyQualifiedErrorId)"; Output = $out.Count }
            }
            ConvertTo-Json -Compress -InputObject @($results)
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            """);

        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.ExitCode == 0 && lines.Length >= 2, result.ToString());
        JsonElement[] outcomes = JsonDocument.Parse(lines[^2]).RootElement.EnumerateArray().ToArray();
        Assert.Equal(Corpus.Count, outcomes.Length);
        var mismatches = new List<string>();
        for (int i = 0; i < Corpus.Count; i++)
        {
            string error = outcomes[i].GetProperty("Error").GetString()!;
            int output = outcomes[i].GetProperty("Output").GetInt32();
            if (!error.StartsWith(Corpus[i].Error, StringComparison.Ordinal) || output != 0)
            {
                mismatches.Add($"{Corpus[i].Text[..Math.Min(60, Corpus[i].Text.Length)]}: expected {Corpus[i].Error}, got '{error}' with {output} output objects");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        Assert.False(File.Exists("/tmp/pep-escape-redirect.txt"));
        Assert.Equal("ERCS01", lines[^1]);
    }
}
