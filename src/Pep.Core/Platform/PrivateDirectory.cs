namespace Pep.Core.Platform;

/// <summary>Folders only the service account may enter (mode 0700): keys, state, transcripts, work folders.</summary>
public static class PrivateDirectory
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) with mode 0700; an existing folder keeps its mode.</summary>
    public static DirectoryInfo Create(string path) => Directory.CreateDirectory(path, Mode);

    /// <summary>
    /// Creates an output folder (mode 0750) that the service account's group may read: collected logs meant to be
    /// picked up by the operators' tooling, not by anyone else.
    /// </summary>
    public static DirectoryInfo CreateGroupReadable(string path)
        => Directory.CreateDirectory(path, Mode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

    /// <summary>Sets an existing folder's mode to 0700 (one made by another API, such as a temporary folder).</summary>
    public static void Restrict(string path) => File.SetUnixFileMode(path, Mode);
}
