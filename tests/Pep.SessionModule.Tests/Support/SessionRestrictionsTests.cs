using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.SessionModule.Support;

namespace Pep.SessionModule.Tests.Support;

/// <summary>
/// Elevation and lock-back of a session's state, on a real runspace of PowerShell's engine in this process: a
/// NoLanguage session that hides Get-History stands for the restricted session, whose hidden commands the
/// elevation opens and the lock-back closes again.
/// </summary>
public sealed class SessionRestrictionsTests : IDisposable
{
    private const string Hidden = "Get-History";
    private readonly InitialSessionState _configuration = InitialSessionState.CreateDefault2();
    private readonly Runspace _runspace;
    private readonly SessionState _state;
    private readonly SessionRestrictions _restrictions = new();

    public SessionRestrictionsTests()
    {
        foreach (SessionStateCommandEntry entry in _configuration.Commands.Where(c => c.Name == Hidden))
        {
            entry.Visibility = SessionStateEntryVisibility.Private;
        }

        _runspace = RunspaceFactory.CreateRunspace(_configuration);
        _runspace.Open();
        _state = (SessionState)CommandRun.Of(_runspace, shell => shell.AddScript("$ExecutionContext.SessionState")).Output.Single().BaseObject;
        _state.LanguageMode = PSLanguageMode.NoLanguage;
        _state.Applications.Clear();
        _state.Applications.Add("/bin/true");
    }

    [Fact]
    public void Locked_RefusesScriptsAndHiddenCommands()
    {
        Assert.Equal("ScriptsNotAllowed", Script().ErrorId);
        Assert.Equal("CommandNotFoundException", HiddenCommand().ErrorId);
    }

    [Fact]
    public void Elevate_RunsScriptsAndHiddenCommands()
    {
        OnThePipelineThread(() => _restrictions.Elevate(_state, _configuration));

        Assert.Equal(PSLanguageMode.FullLanguage, _state.LanguageMode);
        Assert.Equal(2, Script().Output.Single().BaseObject);
        Assert.Null(HiddenCommand().Error);
        Assert.Contains("*", _state.Applications);
    }

    /// <summary>The timer's part of a lock-back: from then on scripts and the commands the elevation opened are refused.</summary>
    [Fact]
    public void LockFast_RefusesScriptsAndHiddenCommandsAgain()
    {
        OnThePipelineThread(() => _restrictions.Elevate(_state, _configuration));

        _restrictions.LockFast();

        Assert.Equal("ScriptsNotAllowed", Script().ErrorId);
        Assert.Equal("CommandNotFoundException", HiddenCommand().ErrorId);
    }

    [Fact]
    public void Restrict_ReturnsTheLockedLanguageAndNativePrograms_AndEndsTheElevation()
    {
        OnThePipelineThread(() => _restrictions.Elevate(_state, _configuration));

        OnThePipelineThread(_restrictions.Restrict);

        Assert.Equal(PSLanguageMode.NoLanguage, _state.LanguageMode);
        Assert.Equal(["/bin/true"], _state.Applications);
        Assert.Equal("ScriptsNotAllowed", Script().ErrorId);
        Assert.Equal("CommandNotFoundException", HiddenCommand().ErrorId);
    }

    /// <summary>The product calls these on the runspace's pipeline thread (inside a cmdlet); here the test thread stands in for it.</summary>
    private void OnThePipelineThread(Action action)
    {
        Runspace before = Runspace.DefaultRunspace;
        Runspace.DefaultRunspace = _runspace;
        try
        {
            action();
        }
        finally
        {
            Runspace.DefaultRunspace = before;
        }
    }

    private CommandRun Script() => CommandRun.Of(_runspace, shell => shell.AddScript("1 + 1"));

    private CommandRun HiddenCommand() => CommandRun.Of(_runspace, shell => shell.AddCommand(Hidden));

    public void Dispose() => _runspace.Dispose();
}
