using System.Globalization;
using System.Text;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Logs;

/// <summary>What Get-AzureStackLog is asked to collect.</summary>
public sealed record LogCollectionRequest(IReadOnlyList<StampRole> Roles, IReadOnlyCollection<string>? Nodes, LogWindow Window, string OutputDirectory, TimeSpan Timeout);

/// <summary>
/// Collects roles' logs in parallel, one zip archive per role, and writes Get-AzureStackLog_Output.log
/// beside them: the window, each role's files and bytes, and, when the time ran out, what is missing.
/// </summary>
public static class LogCollector
{
    public const string OutputLogName = "Get-AzureStackLog_Output.log";

    public static async Task<IReadOnlyList<LogArchiveResult>> RunAsync(LogCollectionRequest request, string defaultNode, IProgress<LogProgress> progress,
        TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout > TimeSpan.Zero)
        {
            deadline.CancelAfter(request.Timeout);
        }
        else
        {
            await deadline.CancelAsync();
        }
        var log = new StringBuilder();
        Line(log, time, $"Collecting logs of {string.Join(", ", request.Roles.Select(r => r.Name))} from {Format(request.Window.FromUtc)} to {Format(request.Window.ToUtc)}"
            + (request.Nodes is { Count: > 0 } ? $" on {string.Join(", ", request.Nodes)}" : string.Empty));

        Task<LogArchiveResult>[] tasks = [.. request.Roles.Select(role => Task.Run(() =>
        {
            IReadOnlyList<LogFile> files = LogFileMatcher.Find(role.Logs, request.Nodes, request.Window, defaultNode);
            string archive = Path.Combine(request.OutputDirectory, role.Name + ".zip");
            return LogArchiver.ArchiveAsync(role.Name, files, archive, progress, deadline.Token);
        }, CancellationToken.None))];
        LogArchiveResult[] results = await Task.WhenAll(tasks);

        foreach (LogArchiveResult result in results)
        {
            Line(log, time, string.Create(CultureInfo.InvariantCulture, $"{result.Role}: {result.Files} files, {result.Bytes} bytes in {Path.GetFileName(result.Archive)}{(result.Complete ? string.Empty : " (incomplete)")}"));
            foreach (string missing in result.Missing)
            {
                Line(log, time, $"{result.Role}: missing {missing}");
            }
        }

        bool timedOut = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
        Line(log, time, timedOut
            ? $"Timed out after {request.Timeout.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} minutes; the archives hold what was collected until then."
            : results.All(r => r.Complete) ? "Completed." : "Completed with files missing (see above).");
        await File.WriteAllTextAsync(Path.Combine(request.OutputDirectory, OutputLogName), log.ToString(), CancellationToken.None);
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    private static void Line(StringBuilder log, TimeProvider time, string text)
        => log.Append(Format(time.GetUtcNow())).Append(' ').AppendLine(text);

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
