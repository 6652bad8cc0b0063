using Pep.Core.Security;

namespace Pep.Core.Tests.Transcripts;

/// <summary>RSA keys are slow to make: the tests share two.</summary>
internal static class TestKeys
{
    private static readonly Lazy<SigningKey> LazyInstance = new(SigningKey.Generate);
    private static readonly Lazy<SigningKey> LazyOther = new(SigningKey.Generate);

    public static SigningKey Instance => LazyInstance.Value;

    /// <summary>A key that is not the instance's: what a forger would have.</summary>
    public static SigningKey Other => LazyOther.Value;
}
