using System.Management.Automation;

namespace Pep.SessionModule.Support;

/// <summary>
/// Turns the restricted session into a full PowerShell session and back, with public APIs only (verified on
/// PowerShell 7.6.9): <see cref="SessionState.LanguageMode"/>, <see cref="CommandInfo.Visibility"/> of every
/// command, the allowed native programs and scripts (<see cref="SessionState.Applications"/>,
/// <see cref="SessionState.Scripts"/>), and the restricted session's proxy functions (Get-Command,
/// Select-Object, ...), which shadow the real cmdlets and are removed while elevated and put back after.
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
    private readonly Dictionary<string, ScriptBlock> _removedProxies = new(StringComparer.OrdinalIgnoreCase);
    private List<string> _applicationsWhenLocked = [];
    private List<string> _scriptsWhenLocked = [];
    private PSLanguageMode _languageWhenLocked = PSLanguageMode.NoLanguage;
    private SessionState? _elevatedState;

    public bool IsElevated => _elevatedState is not null;

    /// <summary>Opens the session up. Runs on the pipeline thread (inside Unlock-SupportSession, at global scope).</summary>
    public void Elevate(SessionState state)
    {
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
                state.InvokeProvider.Item.Remove(@"function:\" + name, false);
            }
        }

        foreach (CommandInfo command in AllCommands(state))
        {
            if (command.Visibility != SessionStateEntryVisibility.Public)
            {
                command.Visibility = SessionStateEntryVisibility.Public;
                _madePublic.Add(command);
            }
        }

        state.Applications.Add("*");
        state.Scripts.Add("*");
        state.LanguageMode = PSLanguageMode.FullLanguage;
    }

    /// <summary>
    /// The part of the lock-back that is safe from any thread (the lock-back timer): single field writes, no
    /// collection of the engine is touched. After it, scripts are refused and every command the elevation
    /// opened is private again; <see cref="Restrict"/> finishes the job on the pipeline thread.
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
    }

    /// <summary>The full lock-back; runs on the pipeline thread, at global scope (before a top-level command is looked up).</summary>
    public void Restrict()
    {
        if (_elevatedState is not { } state)
        {
            return;
        }

        LockFast();
        foreach (CommandInfo command in AllCommands(state))
        {
            bool createdWhileElevated = command.Module is null
                && ((command.CommandType is CommandTypes.Function or CommandTypes.Filter && !_functionsWhenLocked.Contains(command.Name))
                    || (command.CommandType == CommandTypes.Alias && !_aliasesWhenLocked.Contains(command.Name)));
            bool replacesAProxy = _removedProxies.ContainsKey(command.Name) && command.CommandType == CommandTypes.Function && command.Module is null;
            if (createdWhileElevated || replacesAProxy)
            {
                string drive = command.CommandType == CommandTypes.Alias ? "alias" : "function";
                state.InvokeProvider.Item.Remove($@"{drive}:\{command.Name}", false);
            }
            else if (!_publicWhenLocked.Contains(command))
            {
                command.Visibility = SessionStateEntryVisibility.Private;
            }
        }

        foreach ((string name, ScriptBlock proxy) in _removedProxies)
        {
            state.InvokeProvider.Item.New(@"function:\", name, "Function", proxy);
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

    private static List<CommandInfo> AllCommands(SessionState state)
        => [.. state.InvokeCommand.GetCommands("*", TableTypes, nameIsPattern: true) ?? []];
}
