using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Pep.Gateway.Containment;

/// <summary>
/// The cgroup of one session (see <see cref="SessionCgroups"/>): the host joins it through <see cref="ProcsFile"/>
/// before its first instruction of its own, and <see cref="KillAndRemove"/> ends everything inside as one.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "The path is the gateway's own, made by SessionCgroups.")]
internal sealed class SessionCgroup(string path)
{
    private readonly Lock _gate = new();
    private bool _removed;

    public string Path => path;

    /// <summary>True once the cgroup was killed, found empty and removed.</summary>
    public bool Removed
    {
        get
        {
            lock (_gate)
            {
                return _removed;
            }
        }
    }

    /// <summary>The file a process writes its own id into to join the cgroup.</summary>
    public string ProcsFile => System.IO.Path.Combine(path, "cgroup.procs");

    /// <summary>
    /// Kills every process of the cgroup at once (<c>cgroup.kill</c>: SIGKILL, which nothing inside can catch, and
    /// a process forking meanwhile is killed too), waits for the kernel to report it empty, and removes it.
    /// Idempotent. Returns false when the cgroup was not empty in time (it is left for the next start of the instance).
    /// </summary>
    public bool KillAndRemove()
    {
        lock (_gate)
        {
            if (_removed)
            {
                return true;
            }

            if (!Directory.Exists(path))
            {
                _removed = true;
                return true;
            }

            try
            {
                File.WriteAllText(System.IO.Path.Combine(path, "cgroup.kill"), "1");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone already, or the kernel refused: the wait below tells which.
            }

            if (!WaitUntilEmpty(SessionCgroups.KillWait))
            {
                return false;
            }

            try
            {
                Directory.Delete(path);
            }
            catch (DirectoryNotFoundException)
            {
                // Removed meanwhile.
            }

            _removed = true;
            return true;
        }
    }

    /// <summary>True while any process is inside (<c>cgroup.events</c>: <c>populated 1</c>).</summary>
    public bool IsPopulated()
    {
        try
        {
            return File.ReadLines(System.IO.Path.Combine(path, "cgroup.events")).Any(line => line == "populated 1");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The kernel reaps killed processes within moments; polled, because cgroup.events is not watched here.</summary>
    private bool WaitUntilEmpty(TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (IsPopulated())
        {
            if (waited.Elapsed > limit)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }
}
