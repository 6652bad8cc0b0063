using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Tests.Accounts;

/// <summary>OpenSSH public key lines made in the test (the encoding of RFC 4253, 6.6 and RFC 8709).</summary>
internal static class SshKeyLines
{
    public static string Ed25519(string comment = "operator@workstation")
        => $"ssh-ed25519 {Convert.ToBase64String(Blob("ssh-ed25519", RandomNumberGenerator.GetBytes(32)))} {comment}".TrimEnd();

    public static string Rsa(int bits)
    {
        using var rsa = RSA.Create(bits);
        RSAParameters parameters = rsa.ExportParameters(false);
        return $"ssh-rsa {Convert.ToBase64String(Blob("ssh-rsa", parameters.Exponent!, [0, .. parameters.Modulus!]))}";
    }

    public static byte[] Blob(string type, params byte[][] fields)
    {
        var blob = new List<byte>();
        foreach (byte[] field in (byte[][])[Encoding.ASCII.GetBytes(type), .. fields])
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(length, (uint)field.Length);
            blob.AddRange(length);
            blob.AddRange(field);
        }

        return [.. blob];
    }
}
