using System.Runtime.InteropServices;

namespace Pep.Core.Platform;

/// <summary>Replaces the running process's image (execve): the process id, its parent and its standard streams stay.</summary>
public static partial class PosixExec
{
    /// <summary>The argument vector this process was started with (<c>/proc/self/cmdline</c>), its program first.</summary>
    public static IReadOnlyList<string> OwnCommandLine()
        => File.ReadAllText("/proc/self/cmdline").TrimEnd('\0').Split('\0');

    /// <summary>The executable this process runs (<c>/proc/self/exe</c>: dotnet, or pep's own host).</summary>
    public static string OwnExecutable() => new FileInfo("/proc/self/exe").LinkTarget ?? throw new IOException("/proc/self/exe cannot be read.");

    /// <summary>Returns only when the exec failed.</summary>
    public static IOException Exec(string program, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(environment);
        string?[] arguments = [.. argv, null];
        string?[] variables = [.. environment.Select(pair => pair.Key + "=" + pair.Value), null];
        execve(program, arguments, variables);
        return new IOException($"Cannot run '{program}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}.");
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int execve(string path, string?[] argv, string?[] envp);
}
