using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Pep.SessionModule.Tests;

/// <summary>One pipeline run in a runspace of this process, as a user's command would run: its output, or the error that ended it.</summary>
internal sealed record CommandRun(IReadOnlyList<PSObject> Output, ErrorRecord? Error)
{
    public static CommandRun Of(Runspace runspace, Action<PowerShell> build)
    {
        using PowerShell shell = PowerShell.Create();
        shell.Runspace = runspace;
        build(shell);
        try
        {
            Collection<PSObject> output = shell.Invoke();
            return new CommandRun(output, shell.Streams.Error.FirstOrDefault());
        }
        catch (RuntimeException e)
        {
            return new CommandRun([], e.ErrorRecord);
        }
    }

    /// <summary>The id of the error that ended the run (before PowerShell's ",Command" suffix), or null when it ran.</summary>
    public string? ErrorId => Error?.FullyQualifiedErrorId.Split(',')[0];
}
