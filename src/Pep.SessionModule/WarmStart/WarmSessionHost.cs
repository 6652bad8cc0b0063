using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Sessions;

namespace Pep.SessionModule.WarmStart;

/// <summary>
/// What a warm session host does before pwsh's server mode starts: run what a session's first minute runs, in
/// a throw-away runspace of the same configuration without transcription. What stays is what makes the real
/// session fast: loaded assemblies, compiled code, parsed help and formatting data.
/// </summary>
internal static class WarmSessionHost
{
    public static void Prepare()
    {
        string? warmConfiguration = Environment.GetEnvironmentVariable(SessionHandover.WarmConfigurationVariable);
        if (warmConfiguration is null)
        {
            return;
        }

        // Neither variable may reach a program the session starts: it would warm up for nothing.
        Environment.SetEnvironmentVariable(SessionHandover.WarmConfigurationVariable, null);
        Environment.SetEnvironmentVariable(SessionHandover.StartupHooksVariable, null);
        WarmUp(warmConfiguration);
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Warming up is an optimisation: whatever fails here, the session itself starts as it would cold.")]
    private static void WarmUp(string configurationFile)
    {
        try
        {
            InitialSessionState state = InitialSessionState.CreateFromSessionConfigurationFile(configurationFile);
            using Runspace runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            using PowerShell shell = PowerShell.Create(runspace);
            Collection<PSObject> commands = shell.AddCommand("Get-Command").Invoke();
            Run(shell, "Get-Command", ("Name", "Get-AzureStackStampInformation"), ("Syntax", true));
            Run(shell, "Get-Help", ("Name", "Close-PrivilegedEndpoint"), ("Full", true));
            Run(shell, "Get-FormatData");
            _ = PSSerializer.Serialize(commands, depth: 2);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("pep: session host warm-up failed, starting cold: " + e.GetType().Name);
        }
    }

    private static void Run(PowerShell shell, string command, params (string Name, object Value)[] parameters)
    {
        shell.Commands.Clear();
        shell.AddCommand(command);
        foreach ((string name, object value) in parameters)
        {
            shell.AddParameter(name, value);
        }

        _ = shell.Invoke();
    }
}
