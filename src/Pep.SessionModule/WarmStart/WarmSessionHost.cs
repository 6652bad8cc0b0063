using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.Core.Sessions;

namespace Pep.SessionModule.WarmStart;

/// <summary>
/// What a warm session host does before pwsh's server mode starts: run what a session's first minute runs, in
/// a throw-away runspace of the same configuration, transcribed as the session will be but into a throw-away folder
/// of its own (removed at once). What stays is what makes the real session fast: loaded assemblies, compiled code,
/// parsed help and formatting data. Transcribing matters: PowerShell compiles its transcription code at a runspace's
/// first command, which cost the session's first command about 100 ms of CPU when the warm-up did not transcribe
/// (bench/README.md, "A login's first command").
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
        DirectoryInfo? folder = null;
        try
        {
            folder = Directory.CreateTempSubdirectory("pep-warm-up-");
            InitialSessionState state = InitialSessionState.CreateFromSessionConfigurationFile(TranscribedCopy(configurationFile, folder.FullName));
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
        finally
        {
            try
            {
                folder?.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // In the host's own temporary folder, which goes with the host.
            }
        }
    }

    /// <summary>
    /// A copy of the warm-up configuration (which has no transcript folder: the gateway writes one for all warm hosts)
    /// in <paramref name="folder"/>, transcribing into a folder below it.
    /// </summary>
    private static string TranscribedCopy(string configurationFile, string folder)
    {
        string text = File.ReadAllText(configurationFile);
        int opening = text.IndexOf("@{", StringComparison.Ordinal);
        if (opening < 0)
        {
            throw new InvalidDataException("The warm-up configuration is not a session configuration file.");
        }

        string transcripts = Path.Combine(folder, "transcript").Replace("'", "''", StringComparison.Ordinal);
        string copy = Path.Combine(folder, "warm-up.pssc");
        File.WriteAllText(copy, text.Insert(opening + 2, $"{Environment.NewLine}TranscriptDirectory = '{transcripts}'{Environment.NewLine}"));
        return copy;
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
