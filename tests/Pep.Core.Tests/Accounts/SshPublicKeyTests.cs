using System.Security.Cryptography;
using Pep.Core.Accounts;

namespace Pep.Core.Tests.Accounts;

public sealed class SshPublicKeyTests
{
    [Fact]
    public void TryParse_AnEd25519Line_KeepsTypeKeyAndComment()
    {
        string line = SshKeyLines.Ed25519("ops@laptop");

        SshPublicKey key = SshPublicKey.TryParse(line + "\n", out string? error)!;

        Assert.Null(error);
        Assert.Equal("ssh-ed25519", key.Algorithm);
        Assert.Equal("ops@laptop", key.Comment);
        Assert.Equal(line, key.ToString());
    }

    [Fact]
    public void Fingerprint_IsOpenSshsSha256OfTheKey()
    {
        byte[] blob = SshKeyLines.Blob("ssh-ed25519", new byte[32]);
        SshPublicKey key = SshPublicKey.TryParse("ssh-ed25519 " + Convert.ToBase64String(blob), out _)!;

        Assert.Equal("SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('='), key.Fingerprint);
    }

    [Theory]
    [InlineData("command=\"/bin/sh\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", "key type")]
    [InlineData("restrict,port-forwarding ssh-ed25519 AAAA", "key type")]
    [InlineData("ssh-dss AAAAB3NzaC1kc3MAAACBAP", "key type")]
    [InlineData("ssh-ed25519 not-base64!", "base64")]
    [InlineData("", "empty")]
    public void TryParse_RefusesOptionsUnknownTypesAndDamagedKeys(string line, string reason)
    {
        Assert.Null(SshPublicKey.TryParse(line, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AKeyWhoseEncodingNamesAnotherType_IsRefused()
    {
        string rsaBlob = SshKeyLines.Rsa(2048).Split(' ')[1];

        Assert.Null(SshPublicKey.TryParse("ssh-ed25519 " + rsaBlob, out string? error));
        Assert.Contains("does not match", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TwoLines_AreRefused_SoNoSecondKeyOrOptionSlipsIn()
    {
        Assert.Null(SshPublicKey.TryParse(SshKeyLines.Ed25519() + "\n" + SshKeyLines.Ed25519(), out string? error));
        Assert.Contains("one line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AnRsaKeyUnder2048Bits_IsRefused_And2048BitsAreTaken()
    {
        Assert.Null(SshPublicKey.TryParse(SshKeyLines.Rsa(1024), out string? error));
        Assert.Contains("1024 bits", error, StringComparison.Ordinal);
        Assert.NotNull(SshPublicKey.TryParse(SshKeyLines.Rsa(2048), out _));
    }
}
