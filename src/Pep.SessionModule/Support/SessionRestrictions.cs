using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Pep.SessionModule.Support;

/// <summary>
/// Turns the restricted session into a full PowerShell session and back, with public APIs only (verified on
/// PowerShell 7.6.9): <see cref="SessionState.LanguageMode"/>, <see cref="CommandInfo.Visibility"/> of
/// every command, the allowed native programs and scripts (<see cref="SessionState.Applications"/>,
/// <see cref="SessionState.Scripts"/>), and the restricted session's proxy functions (Get-Command,
/// Select-Object, ...), which shadow the real cmdlets and are removed while elevated and put back after.
/// It works on the engine's own SessionState (<c>$ExecutionContext.SessionState</c>), not on a cmdlet's:
/// provider calls made through a cmdlet carry the user's command origin, and the restricted session's
/// providers are private to that origin ("Cannot find a provider with the name 'Function'"). The runspace's
/// SessionStateProxy cannot be used either: it refuses calls while a pipeline runs. Providers are made
/// usable through the runspace's <see cref="InitialSessionState"/>: the engine consults the visibility of its
/// provider entries when a user command resolves a path (verified: flipping it takes effect at once).
/// A command made public again stays a private command afterwards; functions and aliases created while
/// elevated are removed at lock-back, so nothing the elevated user defined can shadow an endpoint command.
/// </summary>
internal sealed class SessionRestrictions
{
    /// <summary>Proxy functions of the restricted session that hide a cmdlet of the same name.</summary>
    private static readonly string[] ShadowingProxies = ["Get-Command", "Get-Help", "Select-Object", "Measure-Object", "Get-FormatData"];

    private const CommandTypes TableTypes = CommandTypes.Alias | CommandTypes.Function | CommandTypes.Filter | CommandTypes.Cmdlet | CommandTypes.Configuration;

    private readonly HashSet<CommandInfo> _publicWhenLocked = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _functionsWhenLocked = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _aliasesWhenLocked = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CommandInfo> _madePublic = [];
    private readonly List<(SessionStateProviderEntry Entry, SessionStateEntryVisibility Visibility)> _providersWhenLocked = [];
    private readonly Dictionary<string, ScriptBlock> _removedProxies = new(StringComparer.OrdinalIgnoreCase);
    private List<string> _applicationsWhenLocked = [];
    private List<string> _scriptsWhenLocked = [];
    private PSLanguageMode _languageWhenLocked = PSLanguageMode.NoLanguage;
    private SessionState? _elevatedState;

    /// <summary>Opens the session up. Runs on the pipeline thread (inside Unlock-SupportSession, at global scope).</summary>
    public void Elevate(SessionState state, InitialSessionState sessionConfiguration)
    {
        _providersWhenLocked.Clear();
        foreach (SessionStateProviderEntry provider in sessionConfiguration.Providers)
        {
            _providersWhenLocked.Add((provider, provider.Visibility));
        }

        _publicWhenLocked.Clear();
        _functionsWhenLocked.Clear();
        _aliasesWhenLocked.Clear();
        _madePublic.Clear();
        _removedProxies.Clear();
        foreach (CommandInfo command in AllCommands(state))
        {
            if (command.Visibility == SessionStateEntryVisibility.Public)
            {
                _publicWhenLocked.Add(command);
            }

            if (command.CommandType is CommandTypes.Function or CommandTypes.Filter && command.Module is null)
            {
                _functionsWhenLocked.Add(command.Name);
            }
            else if (command.CommandType == CommandTypes.Alias)
            {
                _aliasesWhenLocked.Add(command.Name);
            }
        }

        _languageWhenLocked = state.LanguageMode;
        _applicationsWhenLocked = [.. state.Applications];
        _scriptsWhenLocked = [.. state.Scripts];
        _elevatedState = state;

        foreach (string name in ShadowingProxies)
        {
            if (state.InvokeCommand.GetCommand(name, CommandTypes.Function) is FunctionInfo proxy && proxy.Module is null)
            {
                _removedProxies[name] = proxy.ScriptBlock;
            }
        }

        RunInternal(state, RemoveItems, "function", _removedProxies.Keys.ToArray());

        foreach (CommandInfo command in AllCommands(state))
        {
            if (command.Visibility != SessionStateEntryVisibility.Public)
            {
                command.Visibility = SessionStateEntryVisibility.Public;
                _madePublic.Add(command);
            }
        }

        foreach ((SessionStateProviderEntry provider, _) in _providersWhenLocked)
        {
            provider.Visibility = SessionStateEntryVisibility.Public;
        }

        state.Applications.Add("*");
        state.Scripts.Add("*");
        state.LanguageMode = PSLanguageMode.FullLanguage;
    }

    /// <summary>
    /// The part of the lock-back that is safe from any thread (the lock-back timer): single field writes, no
    /// collection of the engine is touched. After it, scripts are refused and every command the elevation
    /// opened is private again, and so is every provider; <see cref="Restrict"/> finishes the job on the
    /// pipeline thread.
    /// </summary>
    public void LockFast()
    {
        if (_elevatedState is not { } state)
        {
            return;
        }

        state.LanguageMode = _languageWhenLocked;
        foreach (CommandInfo command in _madePublic)
        {
            command.Visibility = SessionStateEntryVisibility.Private;
        }

        foreach ((SessionStateProviderEntry provider, SessionStateEntryVisibility visibility) in _providersWhenLocked)
        {
            provider.Visibility = visibility;
        }
    }

    /// <summary>The full lock-back; runs on the pipeline thread, at global scope (before a top-level command is looked up).</summary>
    public void Restrict()
    {
        if (_elevatedState is not { } state)
        {
            return;
        }

        LockFast();
        var functionsToRemove = new List<string>();
        var aliasesToRemove = new List<string>();
        foreach (CommandInfo command in AllCommands(state))
        {
            bool createdWhileElevated = command.Module is null
                && ((command.CommandType is CommandTypes.Function or CommandTypes.Filter && !_functionsWhenLocked.Contains(command.Name))
                    || (command.CommandType == CommandTypes.Alias && !_aliasesWhenLocked.Contains(command.Name)));
            bool replacesAProxy = _removedProxies.ContainsKey(command.Name) && command.CommandType == CommandTypes.Function && command.Module is null;
            if (createdWhileElevated || replacesAProxy)
            {
                command.Visibility = SessionStateEntryVisibility.Private;
                (command.CommandType == CommandTypes.Alias ? aliasesToRemove : functionsToRemove).Add(command.Name);
            }
            else if (!_publicWhenLocked.Contains(command))
            {
                command.Visibility = SessionStateEntryVisibility.Private;
            }
        }

        RunInternal(state, RemoveItems, "function", functionsToRemove.ToArray());
        RunInternal(state, RemoveItems, "alias", aliasesToRemove.ToArray());
        foreach ((string name, ScriptBlock proxy) in _removedProxies)
        {
            RunInternal(state, RestoreFunction, name, proxy);
            if (state.InvokeCommand.GetCommand(name, CommandTypes.Function) is FunctionInfo restored)
            {
                restored.Visibility = SessionStateEntryVisibility.Public;
            }
        }

        state.Applications.Clear();
        state.Applications.AddRange(_applicationsWhenLocked);
        state.Scripts.Clear();
        state.Scripts.AddRange(_scriptsWhenLocked);
        state.LanguageMode = _languageWhenLocked;
        _elevatedState = null;
    }

    /// <summary>Removes functions or aliases by name (the names are arguments, never part of the script text).</summary>
    private const string RemoveItems = """
        param([string] $Drive, [string[]] $Names)
        foreach ($name in $Names) { Microsoft.PowerShell.Management\Remove-Item -LiteralPath "${Drive}:\$name" -Force -ErrorAction SilentlyContinue }
        """;

    /// <summary>Defines a function at global scope, where the restricted session's proxies live.</summary>
    private const string RestoreFunction = """
        param([string] $Name, [scriptblock] $Body)
        Microsoft.PowerShell.Management\Set-Item -LiteralPath "function:global:$Name" -Value $Body -Force
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
