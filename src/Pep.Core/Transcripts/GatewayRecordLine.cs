using System.Globalization;
using System.Text.RegularExpressions;

namespace Pep.Core.Transcripts;

/// <summary>
/// One line of the gateway's record of a session (<see cref="GatewaySessionFolder.RecordFile"/>): when, what kind of
/// message, which pipeline (the first 8 hex digits of its id; <see cref="NoPipeline"/> for the session itself) and the
/// message as text, on one line. Written by the gateway, read back by <c>pep verify</c>.
/// </summary>
public sealed partial record GatewayRecordLine(DateTimeOffset Time, string Kind, string Pipeline, string Text)
{
    /// <summary>The client started a pipeline: its commands, parameters and arguments as sent.</summary>
    public const string PipelineKind = "Pipeline";

    /// <summary>The record lost messages (its queue was full) or summarised one: it says what.</summary>
    public const string LostKind = "Lost";

    /// <summary>The legal notice the gateway handed the client with the session, for it to show before the first prompt.</summary>
    public const string NoticeKind = "Notice";

    public const string NoPipeline = "--------";

    public static string PipelineOf(Guid pipelineId) => pipelineId == Guid.Empty ? NoPipeline : pipelineId.ToString("N")[..8];

    public string Format()
        => string.Create(CultureInfo.InvariantCulture, $"{Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Kind,-11} {Pipeline} {OneLine(Text)}\n");

    /// <summary>Line breaks inside a message become " | ", so that one line is one message.</summary>
    public static string OneLine(string text) => text.ReplaceLineEndings(" | ");

    public static GatewayRecordLine? TryParse(string line)
    {
        Match match = LinePattern().Match(line);
        return match.Success && DateTimeOffset.TryParse(match.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time)
            ? new GatewayRecordLine(time, match.Groups["kind"].Value, match.Groups["pipeline"].Value, match.Groups["text"].Value)
            : null;
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (?<kind>[A-Za-z]+) +(?<pipeline>[0-9a-f]{8}|-{8}) (?<text>.*)$")]
    private static partial Regex LinePattern();
}
