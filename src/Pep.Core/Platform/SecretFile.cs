namespace Pep.Core.Platform;

/// <summary>Writes files that hold secrets: created with mode 0600 before any byte is written.</summary>
public static class SecretFile
{
    public static void WriteAllText(string path, string contents)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(path, options);
        stream.Write(contents);
    }
}
