using System.Text;
using Pep.Core.Sessions;

namespace Pep.Gateway.Sessions;

/// <summary>
/// Writes the PowerShell session configuration (.pssc) a session host starts with: a restricted remote
/// server (NoLanguage) that imports the endpoint module, which shows only the endpoint's commands beside the
/// eight defaults, and transcribes into the session's own transcript folder. Without a transcript folder it
/// is the warm-up configuration of warm hosts, which no session ever runs in.
/// </summary>
internal static class SessionConfigurationWriter
{
    public static string Render(string endpointModuleManifest, string? transcriptDirectory)
    {
        var text = new StringBuilder();
        text.AppendLine("@{");
        text.AppendLine("SchemaVersion = '2.0.0.0'");
        text.AppendLine("GUID = '5b1f3f0e-6e5f-4c55-9a38-3c4d2b0d9f11'");
        text.AppendLine("Author = 'Privileged endpoint gateway (generated)'");
        text.AppendLine("SessionType = 'RestrictedRemoteServer'");
        text.AppendLine("LanguageMode = 'NoLanguage'");
        if (transcriptDirectory is not null)
        {
            text.AppendLine("TranscriptDirectory = " + Quote(transcriptDirectory));
        }

        text.AppendLine("ModulesToImport = " + Quote(endpointModuleManifest));
        // No VisibleCmdlets: in a RestrictedRemoteServer session the imported module's exports (its manifest's
        // CmdletsToExport, which is EndpointCommands.Visible) are what becomes visible beside the eight defaults
        // anyway, and VisibleCmdlets made every runspace open search all installed modules for the names:
        // measured 1.2 to 3.8 s per session against 0.1 s without it, with the same commands visible.
        text.AppendLine("FunctionDefinitions = @(");
        text.AppendLine(GetCommandProxy);
        text.AppendLine(",");
        text.AppendLine(GetHelpProxy);
        text.AppendLine(")");
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>
    /// The restricted Get-Command, plus -Syntax: the seed's users run <c>Get-Command &lt;name&gt; -Syntax</c>.
    /// It calls the real cmdlet, which this function may reach and the session user may not, with the
    /// user's command origin, so that it lists and describes only what the user may see.
    /// </summary>
    private const string GetCommandProxy = """
        @{ Name = 'Get-Command'; ScriptBlock = {
            [CmdletBinding()]
            param(
                [Parameter(Position = 0)]
                [ValidateLength(0, 1000)] [ValidateCount(0, 1000)] [string[]] $Name,
                [ValidateLength(0, 1000)] [ValidateCount(0, 100)] [string[]] $Module,
                [ValidateCount(0, 100)] [object[]] $ArgumentList,
                [System.Management.Automation.CommandTypes] $CommandType,
                [switch] $ListImported,
                [switch] $ShowCommandInfo,
                [switch] $Syntax)
            $command = $ExecutionContext.InvokeCommand.GetCommand('Microsoft.PowerShell.Core\Get-Command', [System.Management.Automation.CommandTypes]::Cmdlet)
            $pipeline = { & $command @PSBoundParameters }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $pipeline.Begin($PSCmdlet)
            $pipeline.End()
        } }
        """;

    /// <summary>
    /// The restricted Get-Help, plus -Full, -Detailed, -Examples and -Parameter. Never -Online (it would start
    /// a browser on the endpoint host) and never -Path (a provider path).
    /// </summary>
    private const string GetHelpProxy = """
        @{ Name = 'Get-Help'; ScriptBlock = {
            [CmdletBinding(DefaultParameterSetName = 'AllUsersView')]
            param(
                [Parameter(Position = 0)] [ValidateLength(0, 1000)] [string] $Name,
                [string[]] $Category,
                [Parameter(ParameterSetName = 'AllUsersView')] [switch] $Full,
                [Parameter(ParameterSetName = 'DetailedView', Mandatory = $true)] [switch] $Detailed,
                [Parameter(ParameterSetName = 'Examples', Mandatory = $true)] [switch] $Examples,
                [Parameter(ParameterSetName = 'Parameters', Mandatory = $true)] [ValidateLength(0, 1000)] [string[]] $Parameter)
            $command = $ExecutionContext.InvokeCommand.GetCommand('Microsoft.PowerShell.Core\Get-Help', [System.Management.Automation.CommandTypes]::Cmdlet)
            $pipeline = { & $command @PSBoundParameters }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $pipeline.Begin($PSCmdlet)
            $pipeline.End()
        } }
        """;

    /// <summary>A PowerShell single-quoted string literal: nothing inside it is interpreted.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
