using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
using Pep.Core.Transcripts;

namespace Pep.Gateway.Recording;

/// <summary>
/// Turns a remoting message into what the gateway's record says of it, with PowerShell's own deserializer
/// (<see cref="PSSerializer"/>): a pipeline the client started as its commands, parameters and arguments; what came
/// back (output, errors, warnings, information, verbose, debug, progress, and what the host was asked to show) as
/// text. SecureStrings are never decoded: they are replaced by a placeholder before the deserializer sees them, so a
/// PSCredential shows its user name only. Text past <see cref="MaxTextChars"/> is summarised, and says so.
/// </summary>
internal static partial class PsrpRenderer
{
    /// <summary>Longest text kept of one message (4,096 characters); the rest is summarised by its length.</summary>
    public const int MaxTextChars = 4096;

    public const string SecureStringPlaceholder = "(SecureString)";

    /// <summary>What to record of a message; empty for the protocol's own housekeeping (capabilities, keys, availability).</summary>
    public static IReadOnlyList<RecordedEvent> Render(PsrpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string? kind = KindOf(message.Type);
        if (kind is null)
        {
            return [];
        }

        object? value;
        try
        {
            value = Deserialize(message.Data.Span);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return [new(kind, $"(a {message.Type} message the deserializer refused: {e.GetType().Name})")];
        }

        return message.Type switch
        {
            PsrpMessageType.CreatePipeline => [new(kind, Summarise(PipelineText(value)))],
            PsrpMessageType.PipelineHostCall or PsrpMessageType.RunspacePoolHostCall => [HostCall(value)],
            PsrpMessageType.PipelineState => [new(kind, PipelineState(value))],
            _ => [new(kind, Summarise(TextOf(message.Type, value)))],
        };
    }

    private static string? KindOf(PsrpMessageType type) => type switch
    {
        PsrpMessageType.CreatePipeline => GatewayRecordLine.PipelineKind,
        PsrpMessageType.GetCommandMetadata => "Metadata",
        PsrpMessageType.PipelineInput => "Input",
        PsrpMessageType.PipelineOutput => "Output",
        PsrpMessageType.ErrorRecord => "Error",
        PsrpMessageType.WarningRecord => "Warning",
        PsrpMessageType.VerboseRecord => "Verbose",
        PsrpMessageType.DebugRecord => "Debug",
        PsrpMessageType.InformationRecord => "Information",
        PsrpMessageType.ProgressRecord => "Progress",
        PsrpMessageType.PipelineState => "State",
        PsrpMessageType.PipelineHostCall or PsrpMessageType.RunspacePoolHostCall => "HostCall",
        PsrpMessageType.PipelineHostResponse or PsrpMessageType.RunspacePoolHostResponse => "HostAnswer",
        PsrpMessageType.UserEvent => "Event",
        _ => null,
    };

    private static object? Deserialize(ReadOnlySpan<byte> data)
    {
        string xml = Encoding.UTF8.GetString(data);
        // A SecureString travels encrypted with the session key, which the gateway does not have and must not want:
        // its element becomes a plain string naming it, before the deserializer sees it.
        xml = SecureStringElement().Replace(xml, m => $"<S{m.Groups["name"].Value}>{SecureStringPlaceholder}</S>");
        // A message holds one bare <Obj>; the deserializer reads the document form, which wraps objects in <Objs>.
        return PSSerializer.Deserialize($"""<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">{xml}</Objs>""");
    }

    /// <summary>A pipeline as typed: each command with its parameters and arguments, joined by <c>|</c>; statements by <c>;</c>.</summary>
    private static string PipelineText(object? value)
    {
        PSObject? powerShell = Property(value, "PowerShell") as PSObject;
        var statements = new List<string> { Commands(Property(powerShell, "Cmds")) };
        if (Property(powerShell, "ExtraCmds") is IEnumerable extra)
        {
            statements.AddRange(extra.Cast<object?>().Select(s => Commands(Property(s, "Cmds"))));
        }

        return string.Join("; ", statements.Where(s => s.Length > 0));
    }

    private static string Commands(object? commands)
    {
        if (commands is not IEnumerable list || commands is string)
        {
            return "";
        }

        var text = new List<string>();
        foreach (object? command in list)
        {
            var one = new StringBuilder(Property(command, "Cmd")?.ToString()?.Trim() ?? "");
            foreach (object? argument in Property(command, "Args") as IEnumerable ?? Array.Empty<object>())
            {
                // A script block PowerShell turned into commands sends "-Name:" with no value, then the value as a
                // positional argument; a parameter added by name (AddParameter) sends "Name" with its value.
                string? name = Property(argument, "N")?.ToString();
                object? boxed = Property(argument, "V");
                if (name is not null)
                {
                    one.Append(" -").Append(name.TrimStart('-').TrimEnd(':'));
                    if (boxed is null && name.StartsWith('-') || boxed is true)
                    {
                        continue;
                    }
                }

                one.Append(' ').Append(Argument(boxed));
            }

            text.Add(one.ToString());
        }

        return string.Join(" | ", text);
    }

    /// <summary>An argument as text: strings quoted, collections as <c>@(...)</c>, credentials by user only.</summary>
    private static string Argument(object? value)
    {
        object? unwrapped = value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
        return unwrapped switch
        {
            null => "$null",
            string s when s == SecureStringPlaceholder => s,
            string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
            bool b => b ? "$true" : "$false",
            PSCredential credential => $"(PSCredential for {credential.UserName})",
            PSObject o when IsCredential(o) => $"(PSCredential for {Property(o, "UserName")})",
            IEnumerable items and not IDictionary => "@(" + string.Join(", ", items.Cast<object?>().Select(Argument)) + ")",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => unwrapped.ToString() ?? "",
        };
    }

    private static bool IsCredential(PSObject value)
        => value.TypeNames.Any(t => t.EndsWith("System.Management.Automation.PSCredential", StringComparison.Ordinal));

    private static string TextOf(PsrpMessageType type, object? value) => type switch
    {
        PsrpMessageType.ErrorRecord => $"{ErrorText(value)} [{Property(value, "FullyQualifiedErrorId")}]",
        PsrpMessageType.WarningRecord or PsrpMessageType.VerboseRecord or PsrpMessageType.DebugRecord
            => Property(value, "InformationalRecord_Message")?.ToString() ?? Plain(value),
        PsrpMessageType.InformationRecord => Plain(Property(value, "MessageData")),
        PsrpMessageType.ProgressRecord => Progress(value),
        _ => Plain(value),
    };

    private static string ErrorText(object? value)
        => Property(value, "ErrorDetails_Message")?.ToString() is { Length: > 0 } details ? details
            : Property(Property(value, "Exception"), "Message")?.ToString() ?? Plain(value);

    private static string Progress(object? value)
    {
        string percent = Property(value, "PercentComplete") is int p and >= 0 ? $" ({p}%)" : "";
        string completed = string.Equals(Property(value, "Type")?.ToString(), "Completed", StringComparison.Ordinal) ? " (completed)" : "";
        return $"{Property(value, "Activity")}: {Property(value, "StatusDescription")}{percent}{completed}";
    }

    private static string PipelineState(object? value)
    {
        string state = Property(value, "PipelineState")?.ToString() ?? "?";
        if (int.TryParse(state, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && Enum.IsDefined(typeof(PSInvocationState), number))
        {
            state = ((PSInvocationState)number).ToString();
        }

        return Property(value, "ExceptionAsErrorRecord") is { } error ? $"{state}: {ErrorText(error)}" : state;
    }

    /// <summary>A host call: what the host is asked to show is the session's output in an interactive session.</summary>
    private static RecordedEvent HostCall(object? value)
    {
        object? id = Property(value, "mi");
        string method = id is int number && HostMethods.GetValueOrDefault(number) is { } known ? known : id?.ToString() ?? "?";
        var parameters = (Property(value, "mp") as IEnumerable)?.Cast<object?>().ToList() ?? [];
        string text = parameters.Count > 0 ? Plain(parameters[^1]) : "";
        string kind = method switch
        {
            "Write1" or "Write2" or "WriteLine1" or "WriteLine2" or "WriteLine3" => "Output",
            "WriteErrorLine" => "Error",
            "WriteWarningLine" => "Warning",
            "WriteVerboseLine" => "Verbose",
            "WriteDebugLine" => "Debug",
            "WriteProgress" => "Progress",
            _ => "HostCall",
        };
        return kind switch
        {
            "Progress" => new(kind, Summarise(Progress(parameters.Count > 0 ? parameters[^1] : null))),
            "HostCall" => new(kind, Summarise($"{method}({string.Join(", ", parameters.Select(Plain))})")),
            _ => new(kind, Summarise(text)),
        };
    }

    /// <summary>The host methods a session calls on the client (RemoteHostMethodId), by the number they travel as.</summary>
    private static readonly Dictionary<int, string> HostMethods = new()
    {
        [11] = "ReadLine", [12] = "ReadLineAsSecureString", [13] = "Write1", [14] = "Write2", [15] = "WriteLine1",
        [16] = "WriteLine2", [17] = "WriteLine3", [18] = "WriteErrorLine", [19] = "WriteDebugLine", [20] = "WriteProgress",
        [21] = "WriteVerboseLine", [22] = "WriteWarningLine", [23] = "Prompt", [24] = "PromptForCredential1",
        [25] = "PromptForCredential2", [26] = "PromptForChoice",
    };

    private static string Plain(object? value) => value switch
    {
        null => "",
        PSObject o when IsCredential(o) => $"(PSCredential for {Property(o, "UserName")})",
        PSObject o => o.ToString(),
        _ => value.ToString() ?? "",
    };

    private static object? Property(object? value, string name)
    {
        object? found = value is PSObject o ? o.Properties[name]?.Value : null;
        return found is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : found;
    }

    /// <summary>Keeps the first <see cref="MaxTextChars"/> characters and says how many there were.</summary>
    public static string Summarise(string text)
        => text.Length <= MaxTextChars ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text[..MaxTextChars]} ... (summarised: {text.Length} characters, the first {MaxTextChars} kept)");

    [GeneratedRegex(@"<SS(?<name>\s+N=""[^""]*"")?\s*>[^<]*</SS>|<SS(?<name>\s+N=""[^""]*"")?\s*/>")]
    private static partial Regex SecureStringElement();
}
