using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Pep.SessionModule.Support;

/// <summary>
/// Opens the restricted session into a full PowerShell session (a support elevation), and shuts a session whose
/// transcript Close-PrivilegedEndpoint has sealed, with public APIs only (verified on PowerShell 7.6.9):
/// <see cref="SessionState.LanguageMode"/>, <see cref="CommandInfo.Visibility"/> of every command, the allowed
/// native programs and scripts (<see cref="SessionState.Applications"/>, <see cref="SessionState.Scripts"/>), and the
/// restricted session's proxy functions (Get-Command, Select-Object, ...), which shadow the real cmdlets and are
/// removed while elevated. It works on the engine's own SessionState (<c>$ExecutionContext.SessionState</c>), not
/// on a cmdlet's: provider calls made through a cmdlet carry the user's command origin, and the restricted
/// session's providers are private to that origin ("Cannot find a provider with the name 'Function'"). The
/// runspace's SessionStateProxy cannot be used either: it refuses calls while a pipeline runs. Providers are made
/// usable through the runspace's <see cref="InitialSessionState"/>: the engine consults the visibility of its
/// provider entries when a user command resolves a path (verified: flipping it takes effect at once).
/// There is no way back in place: PowerShell's engine state (functions, engine hooks, threads holding the
/// engine) cannot be restored reliably, so an elevation ends by the end of the process, which the gateway holds
/// (issue 12).
/// </summary>
internal static class SessionRestrictions
{
    /// <summary>Proxy functions of the restricted session that hide a cmdlet of the same name.</summary>
    private static readonly string[] ShadowingProxies = ["Get-Command", "Get-Help", "Select-Object", "Measure-Object", "Get-FormatData"];

    private const CommandTypes TableTypes = CommandTypes.Alias | CommandTypes.Function | CommandTypes.Filter | CommandTypes.Cmdlet | CommandTypes.Configuration;

    /// <summary>Opens the session up. Runs on the pipeline thread (inside Unlock-SupportSession, at global scope).</summary>
    public static void Elevate(SessionState state, InitialSessionState sessionConfiguration)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(sessionConfiguration);
        string[] proxies = [.. ShadowingProxies.Where(name => state.InvokeCommand.GetCommand(name, CommandTypes.Function) is FunctionInfo { Module: null })];
        RunInternal(state, RemoveItems, "function", proxies);

        foreach (CommandInfo command in AllCommands(state))
        {
            command.Visibility = SessionStateEntryVisibility.Public;
        }

        foreach (SessionStateProviderEntry provider in sessionConfiguration.Providers)
        {
            provider.Visibility = SessionStateEntryVisibility.Public;
        }

        state.Applications.Add("*");
        state.Scripts.Add("*");
        state.LanguageMode = PSLanguageMode.FullLanguage;
    }

    /// <summary>
    /// Refuses every further command of the session (Close-PrivilegedEndpoint has sealed it): scripts, native
    /// programs and every command by name, also the rest of the invocation that ran the Close. The cmdlets of
    /// <paramref name="endpointModule"/> stay callable only so that they refuse by themselves, and say so to the
    /// gateway's log (see <c>EndpointCmdlet</c>): an attempt leaves a record. Runs on the pipeline thread. A statement
    /// already compiled in a full-language (elevated) session is not stopped by this; the gateway ends the session's
    /// processes as one right after (issue 12, "Nothing after Close").
    /// </summary>
    public static void Shut(SessionState state, string endpointModule)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.LanguageMode = PSLanguageMode.NoLanguage;
        foreach (CommandInfo command in AllCommands(state))
        {
            if (command.CommandType != CommandTypes.Cmdlet || command.ModuleName != endpointModule)
            {
                command.Visibility = SessionStateEntryVisibility.Private;
            }
        }

        state.Applications.Clear();
        state.Scripts.Clear();
    }

    /// <summary>Removes functions or aliases by name (the names are arguments, never part of the script text).</summary>
    private const string RemoveItems = """
        param([string] $Drive, [string[]] $Names)
        foreach ($name in $Names) { Microsoft.PowerShell.Management\Remove-Item -LiteralPath "${Drive}:\$name" -Force -ErrorAction SilentlyContinue }
        """;

    /// <summary>
    /// Runs one of this class's fixed scripts with internal command origin, the only way provider operations
    /// (the function: and alias: drives) reach the restricted session's private providers. The language mode
    /// is FullLanguage only for the duration of the call, on the pipeline thread.
    /// </summary>
    private static void RunInternal(SessionState state, string script, params object[] arguments)
    {
        PSLanguageMode mode = state.LanguageMode;
        state.LanguageMode = PSLanguageMode.FullLanguage;
        try
        {
            state.InvokeCommand.InvokeScript(state, ScriptBlock.Create(script), arguments);
        }
        finally
        {
            state.LanguageMode = mode;
        }
    }

    private static List<CommandInfo> AllCommands(SessionState state)
        => [.. state.InvokeCommand.GetCommands("*", TableTypes, nameIsPattern: true) ?? []];
}
