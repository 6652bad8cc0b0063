using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Support;

/// <summary>
/// The text form of a token, made to survive chat and e-mail: base64url (no characters that mail or chat
/// programs rewrite) in groups of eight. A request token (of either exchange) has eight groups a line (it is copied
/// from the console into a message); a response token is one line of groups, because it is pasted at the
/// <c>ResponseToken:</c> prompt, which reads a single line. Whitespace anywhere is ignored when reading.
/// The binary form is <c>header (magic "PS", kind, version) ‖ body ‖ checksum</c>, where the checksum is
/// the first four bytes of SHA-256 over header and body: a damaged paste is reported as damaged, before
/// any cryptography runs. The checksum protects against accidents only; authenticity comes from the body.
/// </summary>
public static class SupportTokenText
{
    public const byte Version = 1;

    /// <summary>Longest text accepted (whitespace included). A real token is under 4,000 characters.</summary>
    public const int MaxTextLength = 32 * 1024;

    public const int HeaderLength = 4;

    private const int ChecksumLength = 4;
    private const int GroupLength = 8;
    private const int GroupsPerLine = 8;
    private static readonly byte[] Magic = "PS"u8.ToArray();

    /// <summary>The header of a token of this kind: bound into the body's encryption as associated data.</summary>
    public static byte[] Header(SupportTokenKind kind) => [Magic[0], Magic[1], (byte)kind, Version];

    /// <summary>Wraps a body into its text form.</summary>
    public static string Encode(SupportTokenKind kind, ReadOnlySpan<byte> body)
    {
        byte[] binary = ToBinary(kind, body);
        string characters = Base64Url.EncodeToString(binary);
        var text = new StringBuilder(characters.Length + (characters.Length / GroupLength) + 8);
        for (int i = 0; i < characters.Length; i += GroupLength)
        {
            if (i > 0)
            {
                text.Append(kind is SupportTokenKind.Request or SupportTokenKind.RecoveryRequest && i % (GroupLength * GroupsPerLine) == 0 ? '\n' : ' ');
            }

            text.Append(characters.AsSpan(i, Math.Min(GroupLength, characters.Length - i)));
        }

        return text.ToString();
    }

    /// <summary>The binary form (header, body, checksum): what the request hash is computed over.</summary>
    public static byte[] ToBinary(SupportTokenKind kind, ReadOnlySpan<byte> body)
    {
        byte[] binary = new byte[HeaderLength + body.Length + ChecksumLength];
        Header(kind).CopyTo(binary, 0);
        body.CopyTo(binary.AsSpan(HeaderLength));
        Checksum(binary.AsSpan(0, HeaderLength + body.Length)).CopyTo(binary.AsSpan(HeaderLength + body.Length));
        return binary;
    }

    /// <summary>Reads the text form back to the binary form, checking size, alphabet, checksum, magic and kind.</summary>
    /// <exception cref="SupportTokenException">Always and only this, whatever the input.</exception>
    public static byte[] DecodeBinary(string? text, SupportTokenKind expected)
    {
        if (text is null)
        {
            throw new SupportTokenException(SupportTokenFailure.NotAToken);
        }

        if (text.Length > MaxTextLength)
        {
            throw new SupportTokenException(SupportTokenFailure.TooLong);
        }

        var characters = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            if (!IsBase64UrlCharacter(c))
            {
                throw new SupportTokenException(SupportTokenFailure.Damaged);
            }

            characters.Append(c);
        }

        if (characters.Length == 0)
        {
            throw new SupportTokenException(SupportTokenFailure.NotAToken);
        }

        byte[] binary;
        try
        {
            binary = Base64Url.DecodeFromChars(characters.ToString());
        }
        catch (FormatException)
        {
            throw new SupportTokenException(SupportTokenFailure.Damaged);
        }

        if (binary.Length < HeaderLength + ChecksumLength)
        {
            throw new SupportTokenException(SupportTokenFailure.Damaged);
        }

        int payload = binary.Length - ChecksumLength;
        if (!Checksum(binary.AsSpan(0, payload)).AsSpan().SequenceEqual(binary.AsSpan(payload)))
        {
            throw new SupportTokenException(SupportTokenFailure.Damaged);
        }

        if (binary[0] != Magic[0] || binary[1] != Magic[1] || binary[3] != Version)
        {
            throw new SupportTokenException(SupportTokenFailure.NotAToken);
        }

        if (binary[2] != (byte)expected)
        {
            throw new SupportTokenException(SupportTokenFailure.WrongKind);
        }

        return binary;
    }

    /// <summary>The body of a binary token (between header and checksum).</summary>
    public static ReadOnlySpan<byte> Body(ReadOnlySpan<byte> binary) => binary[HeaderLength..^ChecksumLength];

    private static bool IsBase64UrlCharacter(char c)
        => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_';

    private static byte[] Checksum(ReadOnlySpan<byte> payload)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(payload, hash);
        byte[] checksum = new byte[ChecksumLength];
        BinaryPrimitives.WriteUInt32BigEndian(checksum, BinaryPrimitives.ReadUInt32BigEndian(hash));
        return checksum;
    }
}
