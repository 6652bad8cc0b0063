namespace Pep.Core.Deployment;

/// <summary>Where Close-PrivilegedEndpoint may send transcripts besides SMB shares.</summary>
public sealed record TranscriptSettings
{
    /// <summary>
    /// Local or mounted folders a session user may name as a destination (the folder or anything under it).
    /// Empty: only <c>\\host\share\folder</c> destinations. A session user must not be able to make the
    /// service account write anywhere else.
    /// </summary>
    public IReadOnlyList<string> Roots { get; init; } = [];

    /// <summary>
    /// When not empty, the only destinations Close-PrivilegedEndpoint may send to: shares
    /// (<c>\\host\share</c> or <c>\\host\share\folder</c>, that place or anything under it) and local
    /// folders (which must also lie under <see cref="Roots"/>). Empty: any share, and any folder under the roots.
    /// </summary>
    public IReadOnlyList<string> AllowedDestinations { get; init; } = [];

    /// <summary>
    /// Whether the gateway keeps its own record of each session from the messages it relays (default: yes). Only the
    /// benchmark turns it off, to measure what the record costs; a deployment has no reason to.
    /// </summary>
    public bool GatewayRecord { get; init; } = true;

    /// <summary>The TCP port of SMB destinations (445; tests run Samba on a free port).</summary>
    public int SmbPort { get; init; } = 445;

    /// <summary>Samba's client; empty means <c>smbclient</c> from the PATH.</summary>
    public string? SmbClientPath { get; init; }

    /// <summary>Longest a single share operation (connect, put, get, rename) may take.</summary>
    public int SmbOperationTimeoutSeconds { get; init; } = 600;
}
