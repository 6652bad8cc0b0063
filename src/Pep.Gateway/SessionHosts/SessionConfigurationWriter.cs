using System.Text;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// Writes the PowerShell session configuration (.pssc) a session host starts with: a restricted remote
/// server (NoLanguage) that imports the endpoint module, which shows only the endpoint's commands beside the
/// eight defaults (seven of them through <see cref="RestrictedCommandProxies"/>), and transcribes into the
/// session's own transcript folder. Without a transcript folder it is the warm-up configuration of warm
/// hosts, which no session ever runs in.
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
        text.AppendLine(string.Join(",\n", RestrictedCommandProxies.All));
        text.AppendLine(")");
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>A PowerShell single-quoted string literal: nothing inside it is interpreted.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
