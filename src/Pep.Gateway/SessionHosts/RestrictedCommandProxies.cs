namespace Pep.Gateway.SessionHosts;

/// <summary>
/// The proxy functions that stand for PowerShell's restricted commands in every session (the .pssc's
/// FunctionDefinitions). Each calls the real cmdlet, which the function may reach and the session user may not,
/// through a steppable pipeline with the user's command origin, so that it lists, describes and reaches only
/// what the user may see. Each also hands the real cmdlet's error, warning and information records to the
/// session's stream log through <c>Pep.SessionModule.Transcripts.RestrictedCommandStreams</c>, so that the
/// transcript keeps what the user silenced with <c>-ErrorAction Ignore</c> (see that class for why the user
/// sees exactly what they asked for).
/// <para>
/// Get-Command and Get-Help are the endpoint's own, wider than PowerShell's restricted ones (-Syntax, -Full, ...).
/// The others are PowerShell 7.6.9's restricted proxies as <c>ProxyCommand.Create</c> writes them for
/// <c>CommandMetadata.GetRestrictedCommands(RemoteServer)</c>: the same parameters, help forwarding and error
/// handling (an end-to-end test compares them with the client's PowerShell), with the cmdlet named by its
/// module so that nothing imported later can stand in for it, and the stream recording added.
/// </para>
/// </summary>
internal static class RestrictedCommandProxies
{
    /// <summary>Creates the recorder and the real cmdlet's parameters (the user's, with silenced records kept).</summary>
    private const string Capture = "$pepStreams = [Pep.SessionModule.Transcripts.RestrictedCommandStreams]::new($MyInvocation.MyCommand.Name); "
        + "$parameters = [Pep.SessionModule.Transcripts.RestrictedCommandStreams]::Parameters($PSBoundParameters)";

    public static IReadOnlyList<string> All =>
    [
        GetCommand,
        GetHelp,
        Generated("Select-Object", @"Microsoft.PowerShell.Utility\Select-Object", "https://go.microsoft.com/fwlink/?LinkID=2096716", """

                [ValidateSet('ModuleName','Namespace','OutputType','Count','HelpUri','Name','CommandType','ResolvedCommandName','DefaultParameterSet','CmdletBinding','Parameters')]
                [ValidateCount(1, 11)]
                [string[]]
                ${Property},

                [Parameter(Mandatory=$true, ValueFromPipeline=$true)]
                [System.Object]
                ${InputObject}
            """),
        Generated("Measure-Object", @"Microsoft.PowerShell.Utility\Measure-Object", "https://go.microsoft.com/fwlink/?LinkID=113349", """

                [Parameter(Mandatory=$true, ValueFromPipeline=$true)]
                [System.Object]
                ${InputObject}
            """),
        Generated("Get-FormatData", @"Microsoft.PowerShell.Utility\Get-FormatData", "https://go.microsoft.com/fwlink/?LinkID=144303", """

                [ValidateLength(0, 1000)]
                [ValidateCount(0, 1000)]
                [string[]]
                ${TypeName},

                [version]
                ${PowerShellVersion}
            """),
        Generated("Out-Default", @"Microsoft.PowerShell.Core\Out-Default", "https://go.microsoft.com/fwlink/?LinkID=113362", """

                [Parameter(Mandatory=$true, ValueFromPipeline=$true)]
                [System.Object]
                ${InputObject}
            """),
        Generated("Exit-PSSession", @"Microsoft.PowerShell.Core\Exit-PSSession", "https://go.microsoft.com/fwlink/?LinkID=2096787", ""),
    ];

    /// <summary>
    /// The restricted Get-Command, plus -Syntax: the seed's users run <c>Get-Command &lt;name&gt; -Syntax</c>.
    /// </summary>
    private static string GetCommand => $$"""
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
            {{Capture}}
            $pipeline = { & $command @parameters }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $pipeline.Begin($PSCmdlet)
            $pipeline.End()
        } }
        """;

    /// <summary>
    /// The restricted Get-Help, plus -Full, -Detailed, -Examples and -Parameter. Never -Online (it would start
    /// a browser on the endpoint host) and never -Path (a provider path).
    /// </summary>
    private static string GetHelp => $$"""
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
            {{Capture}}
            $pipeline = { & $command @parameters }.GetSteppablePipeline($MyInvocation.CommandOrigin)
            $pipeline.Begin($PSCmdlet)
            $pipeline.End()
        } }
        """;

    /// <summary>A restricted command as PowerShell defines it (ProxyCommand.Create's text), recording its streams.</summary>
    private static string Generated(string name, string cmdlet, string helpUri, string parameterBlock) => $$"""
        @{ Name = '{{name}}'; ScriptBlock = {
        [CmdletBinding(HelpUri='{{helpUri}}')]
        param({{parameterBlock}})

        begin
        {
            try {
                $outBuffer = $null
                if ($PSBoundParameters.TryGetValue('OutBuffer', [ref]$outBuffer))
                {
                    $PSBoundParameters['OutBuffer'] = 1
                }

                $wrappedCmd = $ExecutionContext.InvokeCommand.GetCommand('{{cmdlet}}', [System.Management.Automation.CommandTypes]::Cmdlet)
                {{Capture}}
                $scriptCmd = {& $wrappedCmd @parameters }

                $steppablePipeline = $scriptCmd.GetSteppablePipeline($myInvocation.CommandOrigin)
                $steppablePipeline.Begin($PSCmdlet)
            } catch {
                throw
            }
        }

        process
        {
            try {
                $steppablePipeline.Process($_)
            } catch {
                throw
            }
        }

        end
        {
            try {
                $steppablePipeline.End()
            } catch {
                throw
            }
        }

        clean
        {
            if ($null -ne $steppablePipeline) {
                $steppablePipeline.Clean()
            }
        }
        <#

        .ForwardHelpTargetName {{name}}
        .ForwardHelpCategory Cmdlet

        #>
        } }
        """;
}
