using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Pep.Cli.RoleService;

/// <summary>
/// start, stop, status, reload and on-demand logs of a role service, through its pid file. These are what a demo stamp's
/// manifest declares as the roles' commands (argv arrays, no shell).
/// </summary>
internal static class RoleServiceControl
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The running service's pid, or null. A pid whose process is not this role's service (reused pid) does not count.</summary>
    public static int? RunningPid(RoleServiceOptions options)
    {
        if (!File.Exists(options.PidFile)
            || !int.TryParse(File.ReadAllText(options.PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return null;
        }

        string cmdline = Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture), "cmdline");
        try
        {
            string[] arguments = File.ReadAllText(cmdline).Split('\0');
            return arguments.Contains("role-service", StringComparer.Ordinal) && arguments.Contains(options.Name, StringComparer.Ordinal) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Starts the service detached (its own process, outliving this one) and waits until it answers on its port.</summary>
    public static async Task<int> StartAsync(RoleServiceOptions options, TimeSpan timeout)
    {
        if (RunningPid(options) is not null)
        {
            Console.WriteLine($"{options.Name} is already running.");
            return ExitCodes.Success;
        }

        var startInfo = new ProcessStartInfo(PepExecutable.Argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in PepExecutable.Argv.Skip(1).Concat(RunArguments(options)))
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(startInfo) ?? throw new InvalidOperationException("The role service did not start.");
        RoleServiceCgroup.Adopt(child.Id);
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (child.HasExited)
            {
                Console.Error.WriteLine($"{options.Name} exited at once: {await child.StandardError.ReadToEndAsync(CancellationToken.None)}");
                return ExitCodes.Failed;
            }

            if (RunningPid(options) is not null && await AcceptsAsync(options.Port, deadline.Token))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Name} started, pid {child.Id}."));
                return ExitCodes.Success;
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }

        Console.Error.WriteLine($"{options.Name} did not answer on its port in time.");
        return ExitCodes.Failed;
    }

    public static async Task<int> StopAsync(RoleServiceOptions options, TimeSpan timeout)
    {
        if (RunningPid(options) is not int pid)
        {
            Console.WriteLine($"{options.Name} is not running.");
            return ExitCodes.Success;
        }

        await SignalAsync(pid, "TERM");
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            if (!Directory.Exists(Path.Combine("/proc", pid.ToString(CultureInfo.InvariantCulture))) || RunningPid(options) is null)
            {
                Console.WriteLine($"{options.Name} stopped.");
                return ExitCodes.Success;
            }

            await Task.Delay(PollInterval, CancellationToken.None);
        }

        Console.Error.WriteLine($"{options.Name} did not stop in time.");
        return ExitCodes.Failed;
    }

    public static int Status(RoleServiceOptions options)
    {
        bool running = RunningPid(options) is not null;
        Console.WriteLine($"{options.Name} is {(running ? "running" : "stopped")}.");
        return running ? ExitCodes.Success : ExitCodes.Failed;
    }

    /// <summary>The role's on-demand log: a file of its state now, <c>NAME-ondemand-TIME.log</c> in its log folder.</summary>
    public static int DumpLogs(RoleServiceOptions options, TimeProvider time)
    {
        DateTimeOffset now = time.GetUtcNow();
        Directory.CreateDirectory(options.LogDirectory);
        string file = Path.Combine(options.LogDirectory, $"{options.Name}-ondemand-{now.UtcDateTime.ToString("yyyyMMddTHHmmssfffZ", CultureInfo.InvariantCulture)}.log");
        string state = RunningPid(options) is int pid ? string.Create(CultureInfo.InvariantCulture, $"running, pid {pid}") : "stopped";
        File.WriteAllText(file, $"{now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} on-demand log of {options.Name}: {state}, port {options.Port.ToString(CultureInfo.InvariantCulture)}\n");
        Console.WriteLine($"Wrote {file}.");
        return ExitCodes.Success;
    }

    public static async Task<int> ReloadAsync(RoleServiceOptions options)
    {
        if (RunningPid(options) is not int pid)
        {
            Console.Error.WriteLine($"{options.Name} is not running.");
            return ExitCodes.Failed;
        }

        return await SignalAsync(pid, "HUP") ? ExitCodes.Success : ExitCodes.Failed;
    }

    public static IEnumerable<string> RunArguments(RoleServiceOptions options, string verb = "run")
    {
        yield return "role-service";
        yield return verb;
        yield return "--name";
        yield return options.Name;
        yield return "--port";
        yield return options.Port.ToString(CultureInfo.InvariantCulture);
        yield return "--log-dir";
        yield return options.LogDirectory;
        yield return "--pid-file";
        yield return options.PidFile;
        foreach (string config in options.ConfigFiles)
        {
            yield return "--config";
            yield return config;
        }
    }

    private static async Task<bool> SignalAsync(int pid, string signal)
    {
        var startInfo = new ProcessStartInfo("/bin/kill") { UseShellExecute = false };
        startInfo.ArgumentList.Add("-" + signal);
        startInfo.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using Process kill = Process.Start(startInfo) ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(CancellationToken.None);
        return kill.ExitCode == 0;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
