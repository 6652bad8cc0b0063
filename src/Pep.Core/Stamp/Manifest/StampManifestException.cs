namespace Pep.Core.Stamp.Manifest;

/// <summary>The stamp manifest is missing, unreadable or describes something the endpoint will not act on.</summary>
public sealed class StampManifestException : Exception
{
    public StampManifestException(string message) : base(message) { }

    public StampManifestException(string message, Exception inner) : base(message, inner) { }
}
