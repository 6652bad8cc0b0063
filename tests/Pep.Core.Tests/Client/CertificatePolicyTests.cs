extern alias ClientModule;

using ClientModule::Pep.ClientModule.Transport;

namespace Pep.Core.Tests.Client;

public sealed class CertificatePolicyTests
{
    [Fact]
    public void NormalizeThumbprint_AcceptsSeparatorsAndCase()
    {
        string hex = new string('a', 62) + "0F";

        Assert.Equal(hex.ToUpperInvariant(), CertificatePolicy.NormalizeThumbprint(string.Join(':', hex.Chunk(2).Select(c => new string(c)))));
    }

    [Theory]
    [InlineData("ABCD")]
    [InlineData("ZZ00000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("0123456789012345678901234567890123456789")]
    public void NormalizeThumbprint_RefusesAnythingButASha256(string thumbprint)
        => Assert.Throws<ArgumentException>(() => CertificatePolicy.NormalizeThumbprint(thumbprint));
}
