namespace Pep.Core.Transcripts;

/// <summary>
/// Where a sealed transcript's two accounts of the session disagree: the gateway's record (what the client sent,
/// decoded from the relayed messages) and what the session host wrote (PowerShell's transcript, the command streams,
/// its other records). Each pipeline the record shows finished must have its first command in the host's part.
/// </summary>
/// <remarks>
/// A pipeline still running when the session was sealed (the Close itself) is left out: PowerShell writes a remote
/// command into its transcript when the command ends. Commands named <c>__*</c> are PowerShell's own (the debugger
/// settings Invoke-Command sends first) and are never transcribed.
/// </remarks>
public static class RecordComparison
{
    /// <summary>The record's finished pipelines whose first command the host's part does not name; empty when they agree or there is no record.</summary>
    public static IReadOnlyList<string> Disagreements(IReadOnlyList<SealedTranscriptSections.Section> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        SealedTranscriptSections.Section? record = sections.FirstOrDefault(s => s.Title == SealedTranscriptWriter.RecordSection);
        if (record is null)
        {
            return [];
        }

        string host = string.Concat(sections.Where(s => s.Title != SealedTranscriptWriter.RecordSection && s.Title != SealedTranscriptWriter.CheckSection).Select(s => s.Body));
        List<GatewayRecordLine> lines = [.. record.Body.Split('\n').Select(GatewayRecordLine.TryParse).OfType<GatewayRecordLine>()];
        HashSet<string> finished = [.. lines.Where(l => l.Kind == "State" && !l.Text.StartsWith("Running", StringComparison.Ordinal)).Select(l => l.Pipeline)];
        var missing = new List<string>();
        foreach (GatewayRecordLine pipeline in lines.Where(l => l.Kind == GatewayRecordLine.PipelineKind && finished.Contains(l.Pipeline)))
        {
            string first = FirstCommand(pipeline.Text);
            if (first.Length > 0 && !first.StartsWith("__", StringComparison.Ordinal) && !host.Contains(first, StringComparison.OrdinalIgnoreCase))
            {
                missing.Add($"the gateway's record has the pipeline '{Shorten(pipeline.Text)}' (pipeline {pipeline.Pipeline}, {pipeline.Time.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z) that the host's transcript lacks");
            }
        }

        return missing;
    }

    /// <summary>The first word of the pipeline: its first command's name, or a script's first token.</summary>
    private static string FirstCommand(string pipeline)
    {
        string trimmed = pipeline.TrimStart();
        int end = trimmed.IndexOfAny([' ', '|', ';', '(', '{']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
