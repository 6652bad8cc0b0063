using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pep.Core.Transcripts;

/// <summary>
/// Reads back the sections of a sealed transcript (<see cref="SealedTranscriptWriter"/>): the header block's lines,
/// then each section by its title and framed length. A file sealed before sections were framed has none.
/// </summary>
public static partial class SealedTranscriptSections
{
    /// <summary>One section: its title and its body as text.</summary>
    public sealed record Section(string Title, string Body);

    /// <summary>The header's fields (name → value) and the sections; null when the file is not in the framed form.</summary>
    public static (IReadOnlyDictionary<string, string> Header, IReadOnlyList<Section> Sections)? Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        string rule = SealedTranscriptWriter.Rule + "\n";
        byte[] ruleBytes = Encoding.UTF8.GetBytes(rule);
        if (!bytes.AsSpan().StartsWith(ruleBytes))
        {
            return null;
        }

        int headerEnd = bytes.AsSpan(ruleBytes.Length).IndexOf(ruleBytes);
        if (headerEnd < 0)
        {
            return null;
        }

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in Encoding.UTF8.GetString(bytes, ruleBytes.Length, headerEnd).Split('\n'))
        {
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0)
            {
                header.TryAdd(line[..colon], line[(colon + 2)..]);
            }
        }

        var sections = new List<Section>();
        int position = ruleBytes.Length + headerEnd + ruleBytes.Length;
        byte[] opening = Encoding.UTF8.GetBytes("\n" + rule);
        while (position < bytes.Length)
        {
            if (!bytes.AsSpan(position).StartsWith(opening))
            {
                return null;
            }

            position += opening.Length;
            int titleEnd = bytes.AsSpan(position).IndexOf((byte)'\n');
            Match title = titleEnd < 0 ? Match.Empty : TitleLine().Match(Encoding.UTF8.GetString(bytes, position, titleEnd));
            if (!title.Success)
            {
                return null;
            }

            position += titleEnd + 1;
            long length = long.Parse(title.Groups["length"].Value, CultureInfo.InvariantCulture);
            if (!bytes.AsSpan(position).StartsWith(ruleBytes) || position + ruleBytes.Length + length > bytes.Length)
            {
                return null;
            }

            position += ruleBytes.Length;
            sections.Add(new Section(title.Groups["title"].Value, Encoding.UTF8.GetString(bytes, position, (int)length)));
            position += (int)length;
        }

        return (header, sections);
    }

    [GeneratedRegex(@"^(?<title>.*) \[(?<length>\d{12}) bytes\]$")]
    private static partial Regex TitleLine();
}
