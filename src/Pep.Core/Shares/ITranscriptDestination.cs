namespace Pep.Core.Shares;

/// <summary>
/// A folder transcripts are delivered to. Names are plain file names in that folder (no separators); the
/// caller writes under a temporary name, reads it back, and only then renames it to its final name.
/// </summary>
public interface ITranscriptDestination : IDisposable
{
    /// <summary>How the destination is shown to the operator.</summary>
    string Display { get; }

    /// <summary>Checks the destination and credential and creates the folder if needed; before anything else.</summary>
    void Prepare(CancellationToken cancellationToken);

    void Put(string localPath, string name, CancellationToken cancellationToken);

    void Get(string name, string localPath, CancellationToken cancellationToken);

    /// <summary>Renames within the folder, replacing a file of the target name.</summary>
    void Rename(string name, string newName, CancellationToken cancellationToken);

    /// <summary>Best effort: removes a temporary copy after a failure.</summary>
    void TryDelete(string name);
}
