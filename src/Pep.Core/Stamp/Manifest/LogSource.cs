namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// Where a role or node writes logs on the endpoint host: a file, or a folder with a file-name glob
/// (<c>*</c> and <c>?</c>), optionally recursive, optionally tagged with the node it belongs to.
/// </summary>
public sealed record LogSource
{
    public required string Path { get; init; }

    public string Pattern { get; init; } = "*";

    public bool Recursive { get; init; }

    public string? Node { get; init; }
}
