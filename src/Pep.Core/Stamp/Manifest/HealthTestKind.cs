namespace Pep.Core.Stamp.Manifest;

public enum HealthTestKind
{
    /// <summary>A TCP connection to Host:Port succeeds.</summary>
    Tcp,

    /// <summary>GET Url answers ExpectStatus, and its body contains ExpectBody when given.</summary>
    Http,

    /// <summary>Argv exits with ExpectExitCode.</summary>
    Command,

    /// <summary>Path was written within MaxAgeSeconds.</summary>
    FileFreshness,

    /// <summary>The file system holding Path has at least MinFreeMegabytes free.</summary>
    FreeDisk,
}
