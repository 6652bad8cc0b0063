using System.Collections.Concurrent;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Records every session host an instance starts while the watch is on. The gateway writes each host's session
/// configuration (<c>&lt;session id&gt;.pssc</c>) into the instance's runtime folder before it starts the host; the
/// kernel reports each file created there (inotify), also one deleted again at once. So a test can say that no
/// host was started at all, not only that none is running at the moment it looks.
/// </summary>
public sealed class HostStartWatch : IDisposable
{
    private readonly string _folder;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentQueue<string> _created = new();

    public HostStartWatch(TestDeployment deployment, string instance)
    {
        _folder = deployment.Layout.RuntimeDirectory(instance);
        _watcher = new FileSystemWatcher(_folder, "*.pssc") { NotifyFilter = NotifyFilters.FileName };
        _watcher.Created += (_, e) => _created.Enqueue(e.Name!);
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>
    /// The configurations created so far, each one a host start. A fence file created now is reported after every
    /// earlier event, so waiting for it means nothing earlier is still on its way.
    /// </summary>
    public async Task<IReadOnlyList<string>> HostsStartedAsync()
    {
        string fence = $"fence-{Guid.NewGuid():N}.pssc";
        await File.WriteAllTextAsync(Path.Combine(_folder, fence), "");
        try
        {
            await EndpointInstance.WaitUntilAsync(() => _created.Contains(fence), "the watch saw its own fence file");
        }
        finally
        {
            File.Delete(Path.Combine(_folder, fence));
        }

        return [.. _created.Where(name => !name.StartsWith("fence-", StringComparison.Ordinal))];
    }

    public void Dispose() => _watcher.Dispose();
}
