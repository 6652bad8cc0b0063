using System.Collections.Concurrent;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Records every session host an instance starts while the watch is on. The gateway makes each host's own runtime
/// folder (<c>runtime/&lt;session id&gt;/</c>, for its configuration and hand-over) before it starts the host; the
/// kernel reports each folder created there (inotify), also one removed again at once. So a test can say that no
/// host was started at all, not only that none is running at the moment it looks.
/// </summary>
public sealed class HostStartWatch : IDisposable
{
    private readonly string _folder;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentQueue<string> _created = new();

    public HostStartWatch(TestDeployment deployment, string instance)
    {
        // Every host start, cold or warm, makes the host's own runtime folder (named by its session id) first.
        _folder = deployment.Layout.RuntimeDirectory(instance);
        _watcher = new FileSystemWatcher(_folder) { NotifyFilter = NotifyFilters.DirectoryName };
        _watcher.Created += (_, e) => _created.Enqueue(e.Name!);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// The configurations created so far, each one a host start. A fence file created now is reported after every
    /// earlier event, so waiting for it means nothing earlier is still on its way.
    /// </summary>
    public async Task<IReadOnlyList<string>> HostsStartedAsync()
    {
        string fence = $"fence-{Guid.NewGuid():N}";
        Directory.CreateDirectory(Path.Combine(_folder, fence));
        try
        {
            await EndpointInstance.WaitUntilAsync(() => _created.Contains(fence), "the watch saw its own fence folder");
        }
        finally
        {
            Directory.Delete(Path.Combine(_folder, fence));
        }

        return [.. _created.Where(name => Guid.TryParseExact(name, "N", out _))];
    }

    public void Dispose() => _watcher.Dispose();
}
