using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace Pep.Cli.RoleService;

/// <summary>What one demo role service is: its name, loopback port, log folder, pid file and configuration files (any number).</summary>
internal sealed record RoleServiceOptions(string Name, int Port, string LogDirectory, string PidFile, IReadOnlyList<string> ConfigFiles);

/// <summary>
/// A small real service standing in for an infrastructure role: an HTTP server on 127.0.0.1 that answers
/// <c>/health</c> and <c>/config</c>, and a log line every second in <c>&lt;log&gt;/&lt;name&gt;.log</c>.
/// SIGTERM stops it (removing its pid file), SIGHUP makes it re-read its configuration file, SIGINT is
/// ignored so that Ctrl+C at the terminal that started it does not take the stamp down.
/// </summary>
internal static class RoleServiceHost
{
    public static async Task<int> RunAsync(RoleServiceOptions options)
    {
        Directory.CreateDirectory(options.LogDirectory);
        using var stopping = new CancellationTokenSource();
        using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stopping.Cancel(); });
        using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        int reloads = 0;
        using PosixSignalRegistration hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => { context.Cancel = true; Interlocked.Increment(ref reloads); });

        using var listener = new HttpListener();
        listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{options.Port}/"));
        listener.Start();
        await File.WriteAllTextAsync(options.PidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        await using var log = new StreamWriter(new FileStream(Path.Combine(options.LogDirectory, options.Name + ".log"), new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
        }), new UTF8Encoding(false)) { AutoFlush = true };
        string configuration = ReadConfiguration(options);
        var gate = new SemaphoreSlim(1, 1);
        async Task Log(string text)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                await log.WriteLineAsync($"{DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)} {options.Name} {text}");
            }
            finally
            {
                gate.Release();
            }
        }

        await Log(string.Create(CultureInfo.InvariantCulture, $"started, pid {Environment.ProcessId}, listening on 127.0.0.1:{options.Port}"));
        long requests = 0;
        Task serving = Task.Run(async () =>
        {
            while (!stopping.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().WaitAsync(stopping.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref requests);
                string path = context.Request.Url?.AbsolutePath ?? "/";
                (int status, string body) = path switch
                {
                    "/health" => (200, $"healthy {options.Name}\n"),
                    "/config" => (200, Volatile.Read(ref configuration)),
                    _ => (404, "not found\n"),
                };
                byte[] bytes = Encoding.UTF8.GetBytes(body);
                context.Response.StatusCode = status;
                context.Response.ContentType = "text/plain; charset=utf-8";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes, CancellationToken.None);
                context.Response.Close();
            }
        }, CancellationToken.None);

        int seenReloads = 0;
        long beat = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                if (Volatile.Read(ref reloads) != seenReloads)
                {
                    seenReloads = Volatile.Read(ref reloads);
                    Volatile.Write(ref configuration, ReadConfiguration(options));
                    await Log("reloaded configuration: " + Volatile.Read(ref configuration).ReplaceLineEndings(" ").Trim());
                }

                await Log(string.Create(CultureInfo.InvariantCulture, $"heartbeat {++beat} requests={Interlocked.Read(ref requests)}"));
            }
        }
        catch (OperationCanceledException)
        {
            // SIGTERM.
        }

        listener.Stop();
        await serving;
        await Log("stopped");
        File.Delete(options.PidFile);
        return ExitCodes.Success;
    }

    private static string ReadConfiguration(RoleServiceOptions options)
        => string.Concat(options.ConfigFiles.Where(File.Exists).Select(File.ReadAllText));
}
