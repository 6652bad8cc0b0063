using System.Text;
using Pep.Core.Platform;

namespace Pep.Core.Transcripts;

/// <summary>A ledger on disk: one JSON entry per line, appended and synced, never rewritten.</summary>
public static class LedgerFile
{
    /// <summary>One line of a ledger file: the entry, or why it is not one.</summary>
    public sealed record Line(int Number, LedgerEntry? Entry, string? Error);

    public static IReadOnlyList<Line> Read(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return [];
        }

        var lines = new List<Line>();
        int number = 0;
        foreach (string text in System.IO.File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (text.Length == 0)
            {
                continue;
            }

            LedgerEntry? entry = LedgerEntry.TryParse(text, out string? error);
            lines.Add(new Line(number, entry, error));
        }

        return lines;
    }

    /// <summary>The entries of a ledger this instance wrote itself; a damaged local ledger is an error, not something to skip.</summary>
    public static IReadOnlyList<LedgerEntry> ReadEntries(string path)
        => [.. Read(path).Select(l => l.Entry ?? throw new InvalidDataException($"Line {l.Number} of the ledger '{path}' is not an entry: {l.Error}"))];

    public static void Append(string path, LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        JsonLines.Append(path, entry.ToJsonLine());
    }
}
