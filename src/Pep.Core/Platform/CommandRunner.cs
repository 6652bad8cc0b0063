using System.Diagnostics;
using System.Text;

namespace Pep.Core.Platform;

/// <summary>
/// Runs a manifest's argv command without a shell, with its standard streams redirected (a session host's
/// own stdout carries PSRP and must never be inherited), bounded in time and killed when cancelled.
/// </summary>
public static class CommandRunner
{
    private const int MaxOutputChars = 8192;

    /// <param name="argv">The command: an absolute path and its arguments.</param>
    /// <param name="timeout">How long it may run before it is killed.</param>
    /// <param name="cancellationToken">Kills it when cancelled.</param>
    /// <param name="standardInput">Written to its standard input, which is then closed (how secrets reach a command: never in its argv).</param>
    public static async Task<CommandOutcome> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken, ReadOnlyMemory<byte> standardInput = default)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var startInfo = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in argv.Skip(1))
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("no process");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new CommandOutcome(null, false, e.Message);
        }

        using (process)
        {
            await WriteInputAsync(process, standardInput);
            var output = new StringBuilder();
            Task stdout = CollectAsync(process.StandardOutput, output);
            Task stderr = CollectAsync(process.StandardError, output);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                KillQuietly(process);
                cancellationToken.ThrowIfCancellationRequested();
                return new CommandOutcome(null, true, Snapshot(output));
            }

            // The command has exited; a child it left running may still hold the pipes open, so wait briefly.
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            return new CommandOutcome(process.ExitCode, false, Snapshot(output));
        }
    }

    private static async Task WriteInputAsync(Process process, ReadOnlyMemory<byte> input)
    {
        try
        {
            if (!input.IsEmpty)
            {
                await process.StandardInput.BaseStream.WriteAsync(input);
                await process.StandardInput.BaseStream.FlushAsync();
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading all of it: its exit code tells what happened.
        }
    }

    private static async Task CollectAsync(StreamReader reader, StringBuilder output)
    {
        char[] buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (output)
            {
                if (output.Length < MaxOutputChars)
                {
                    output.Append(buffer, 0, Math.Min(read, MaxOutputChars - output.Length));
                }
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString().Trim();
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
