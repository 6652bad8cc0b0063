using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pep.Core.Accounts;

/// <summary>
/// An SSH public key a CloudAdmin account accepts for the SSH front door, in OpenSSH's one-line form
/// (<c>ssh-ed25519 AAAA… comment</c>). Only the key itself is kept: a line with authorized_keys options
/// (<c>command=</c>, <c>from=</c>, …) is refused, because the endpoint writes the options itself
/// (<c>restrict</c>), and whoever adds a key must not be able to widen what sshd allows.
/// </summary>
public sealed record SshPublicKey
{
    /// <summary>Longest comment kept (OpenSSH writes <c>user@host</c>).</summary>
    public const int MaxCommentLength = 200;

    /// <summary>Longest key line taken (an RSA-16384 key is about 2,800 characters).</summary>
    public const int MaxLineLength = 8192;

    private const int MinimumRsaBits = 2048;

    private static readonly string[] Algorithms =
    [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
    ];

    private SshPublicKey(string algorithm, string blob, string comment)
    {
        Algorithm = algorithm;
        Blob = blob;
        Comment = comment;
    }

    /// <summary>The key type, as the line names it and the key's own encoding repeats.</summary>
    public string Algorithm { get; }

    /// <summary>The key in base64, as OpenSSH writes it.</summary>
    public string Blob { get; }

    public string Comment { get; }

    /// <summary>OpenSSH's fingerprint: <c>SHA256:</c> and the unpadded base64 of the key's SHA-256.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(Blob))).TrimEnd('=');

    /// <summary>The key without its comment: what identifies it, and what sshd is given.</summary>
    public string KeyText => $"{Algorithm} {Blob}";

    /// <summary>The line as stored and signed: the key, then its comment when it has one.</summary>
    public override string ToString() => Comment.Length == 0 ? KeyText : $"{KeyText} {Comment}";

    public bool SameKeyAs(SshPublicKey other) => other is not null && string.Equals(KeyText, other.KeyText, StringComparison.Ordinal);

    /// <summary>Parses one key line; null, with a reason that quotes nothing of the key, for anything else.</summary>
    public static SshPublicKey? TryParse(string? line, out string? error)
    {
        error = null;
        string text = line?.Trim() ?? "";
        if (text.Length == 0 || text.Length > MaxLineLength)
        {
            error = text.Length == 0 ? "The SSH public key is empty." : $"The SSH public key line is longer than {MaxLineLength} characters.";
            return null;
        }

        if (text.Any(char.IsControl))
        {
            error = "The SSH public key must be one line without control characters.";
            return null;
        }

        string[] parts = text.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (!Algorithms.Contains(parts[0], StringComparer.Ordinal))
        {
            error = $"The line does not start with a key type this endpoint takes ({string.Join(", ", Algorithms)}); authorized_keys options are not accepted.";
            return null;
        }

        if (parts.Length < 2 || !TryDecode(parts[1], out byte[] blob))
        {
            error = "The key is not valid base64.";
            return null;
        }

        if (CheckBlob(parts[0], blob) is { } blobError)
        {
            error = blobError;
            return null;
        }

        string comment = parts.Length == 3 ? parts[2].Trim() : "";
        if (comment.Length > MaxCommentLength)
        {
            error = $"The key's comment is longer than {MaxCommentLength} characters.";
            return null;
        }

        return new SshPublicKey(parts[0], Convert.ToBase64String(blob), comment);
    }

    private static bool TryDecode(string text, out byte[] blob)
    {
        blob = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, blob, out int written) || written == 0)
        {
            return false;
        }

        blob = blob[..written];
        return true;
    }

    /// <summary>The key's own encoding must name the same type, be whole, and (RSA) have a modulus of at least 2048 bits.</summary>
    private static string? CheckBlob(string algorithm, byte[] blob)
    {
        var reader = new SshWireReader(blob);
        if (reader.ReadString() is not { } inner || !string.Equals(Encoding.ASCII.GetString(inner), algorithm, StringComparison.Ordinal))
        {
            return "The key's encoding does not match its type.";
        }

        if (algorithm != "ssh-rsa")
        {
            return reader.ReadString() is null ? "The key is truncated." : null;
        }

        if (reader.ReadString() is null || reader.ReadString() is not { } modulus)
        {
            return "The key is truncated.";
        }

        int bits = modulus.SkipWhile(b => b == 0).Count() * 8;
        return bits < MinimumRsaBits ? $"The RSA key has {bits} bits; at least {MinimumRsaBits} are required." : null;
    }

    /// <summary>Reads SSH's length-prefixed strings (RFC 4251, 5).</summary>
    private ref struct SshWireReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public byte[]? ReadString()
        {
            if (_rest.Length < 4)
            {
                return null;
            }

            uint length = BinaryPrimitives.ReadUInt32BigEndian(_rest);
            if (length > (uint)(_rest.Length - 4))
            {
                return null;
            }

            byte[] value = _rest.Slice(4, (int)length).ToArray();
            _rest = _rest[(4 + (int)length)..];
            return value;
        }
    }
}
