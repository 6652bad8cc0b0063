using Pep.Core.Platform;

namespace Pep.Core.Shares;

/// <summary>A local or mounted folder under an allowed root.</summary>
public sealed class LocalDestination : ITranscriptDestination
{
    private readonly string _requested;
    private readonly IReadOnlyList<string> _roots;
    private string _folder;

    public LocalDestination(string requested, string resolvedFolder, IReadOnlyList<string> roots)
    {
        _requested = requested;
        _folder = resolvedFolder;
        _roots = roots;
    }

    public string Display => _requested;

    public void Prepare(CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(_folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException(DestinationFailure.WriteFailed, $"The folder '{_requested}' cannot be created: {e.Message}", e);
        }

        // Resolved again once it exists: a link swapped in meanwhile must not lead outside the roots.
        _folder = AllowedRoots.Resolve(_folder, _roots, out string? error)
                  ?? throw new DestinationException(DestinationFailure.NotAllowed, error!);
    }

    public void Put(string localPath, string name, CancellationToken cancellationToken)
        => Copy(localPath, Target(name), cancellationToken);

    public void Get(string name, string localPath, CancellationToken cancellationToken)
        => Copy(Target(name), localPath, cancellationToken);

    public void Rename(string name, string newName, CancellationToken cancellationToken)
        => Run(() => File.Move(Target(name), Target(newName), overwrite: true), name);

    public void TryDelete(string name)
    {
        try
        {
            File.Delete(Target(name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary copy left behind is never taken for a transcript (its name says partial).
        }
    }

    public void Dispose()
    {
    }

    private string Target(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal) || name is "." or ".." || name.Length == 0)
        {
            throw new ArgumentException($"'{name}' is not a plain file name.", nameof(name));
        }

        return Path.Combine(_folder, name);
    }

    private static void Copy(string from, string to, CancellationToken cancellationToken)
        => Run(() =>
        {
            using var source = new FileStream(from, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var target = new FileStream(to, FileMode.Create, FileAccess.Write, FileShare.None);
            source.CopyToAsync(target, cancellationToken).GetAwaiter().GetResult();
            target.Flush(flushToDisk: true);
        }, Path.GetFileName(to));

    private static void Run(Action action, string name)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DestinationException(DestinationFailure.WriteFailed, $"'{name}': {e.Message}", e);
        }
    }
}
