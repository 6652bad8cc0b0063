using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.SessionModule.Support;

namespace Pep.SessionModule.Tests.Support;

/// <summary>
/// Elevation and shutting of a session's state, on a real runspace of PowerShell's engine in this process: a
/// NoLanguage session that hides Get-History stands for the restricted session, whose hidden commands the
/// elevation opens; a shut session (sealed by Close-PrivilegedEndpoint) runs nothing more.
/// </summary>
public sealed class SessionRestrictionsTests : IDisposable
{
    private const string Hidden = "Get-History";
    private readonly InitialSessionState _configuration = InitialSessionState.CreateDefault2();
    private readonly Runspace _runspace;
    private readonly SessionState _state;

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
        OnThePipelineThread(() => SessionRestrictions.Elevate(_state, _configuration));

        Assert.Equal(PSLanguageMode.FullLanguage, _state.LanguageMode);
        Assert.Equal(2, Script().Output.Single().BaseObject);
        Assert.Null(HiddenCommand().Error);
        Assert.Contains("*", _state.Applications);
    }

    [Fact]
    public void Shut_RefusesScriptsNativeProgramsAndEveryCommand_EvenAfterAnElevation()
    {
        OnThePipelineThread(() => SessionRestrictions.Elevate(_state, _configuration));

        OnThePipelineThread(() => SessionRestrictions.Shut(_state, "PepEndpoint"));

        Assert.Equal(PSLanguageMode.NoLanguage, _state.LanguageMode);
        Assert.Empty(_state.Applications);
        Assert.Equal("ScriptsNotAllowed", Script().ErrorId);
        Assert.Equal("CommandNotFoundException", HiddenCommand().ErrorId);
        Assert.Equal("CommandNotFoundException", CommandRun.Of(_runspace, shell => shell.AddCommand("Get-Date")).ErrorId);
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
