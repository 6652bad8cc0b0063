using System.Security.Cryptography;
using Pep.Core.Platform;

namespace Pep.Core.Support;

/// <summary>
/// The vendor's side of the exchange: two RSA key pairs (one decrypts request tokens, one signs response
/// tokens, so that a leak of one does not give the other's power) kept in an authority directory, and
/// <see cref="Grant"/>, which turns a request token into a response token (<see cref="GrantRecovery"/> for a
/// CloudAdmin password recovery).
/// </summary>
public sealed class SupportAuthority : IDisposable
{
    public const int KeyBits = 3072;
    public const string EncryptionKeyFile = "encryption.key";
    public const string SigningKeyFile = "signing.key";
    public const string PublicBundleFile = "authority-public.json";
    public const string GrantLogFile = "grants.log";

    private readonly RSA _encryption;
    private readonly RSA _signing;
    private readonly TimeProvider _time;

    public SupportAuthority(RSA encryption, RSA signing, TimeProvider time)
    {
        _encryption = encryption;
        _signing = signing;
        _time = time;
    }

    /// <summary>The public bundle to register with stamps.</summary>
    public string PublicBundleJson => SupportAuthorityBundle.ToJson(_encryption, _signing);

    public string KeyId => SupportAuthorityBundle.IdOf(_encryption, _signing);

    public static SupportAuthority Generate(TimeProvider time) => new(RSA.Create(KeyBits), RSA.Create(KeyBits), time);

    /// <summary>Creates an authority directory (mode 0700) with both private keys (0600) and the public bundle.</summary>
    public static SupportAuthority Create(string directory, TimeProvider time)
    {
        if (File.Exists(Path.Combine(directory, EncryptionKeyFile)) || File.Exists(Path.Combine(directory, SigningKeyFile)))
        {
            throw new IOException($"'{directory}' already holds an authority's keys; they are never overwritten.");
        }

        PrivateDirectory.Create(directory);
        SupportAuthority authority = Generate(time);
        SecretFile.WriteAllText(Path.Combine(directory, EncryptionKeyFile), authority._encryption.ExportPkcs8PrivateKeyPem());
        SecretFile.WriteAllText(Path.Combine(directory, SigningKeyFile), authority._signing.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, PublicBundleFile), authority.PublicBundleJson);
        return authority;
    }

    public static SupportAuthority Load(string directory, TimeProvider time)
    {
        RSA encryption = LoadPrivate(Path.Combine(directory, EncryptionKeyFile));
        try
        {
            return new SupportAuthority(encryption, LoadPrivate(Path.Combine(directory, SigningKeyFile)), time);
        }
        catch
        {
            encryption.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decrypts a request token, checks it, and answers it with a response token granting <paramref name="duration"/>
    /// (at most 8 hours) that expires with the request.
    /// </summary>
    /// <exception cref="SupportTokenException">The request is damaged, not for this authority, or expired.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The duration is not between one second and 8 hours.</exception>
    public SupportGrant Grant(string requestToken, TimeSpan duration, string grantedBy)
    {
        if (duration < TimeSpan.FromSeconds(1) || duration > SupportResponse.MaximumGrant)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A support session is granted for at least one second and at most 8 hours.");
        }

        duration = TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
        byte[] binary = SupportTokenText.DecodeBinary(requestToken, SupportTokenKind.Request);
        SupportRequest request = SupportRequest.Parse(Open(binary, SupportTokenKind.Request));
        DateTimeOffset now = NotExpired(request.ExpiresUtc, "The request token has expired; ask the operator for a new one (Get-SupportSessionToken).");
        byte[] requestHash = SHA256.HashData(binary);
        byte[] signature = _signing.SignData(
            SupportResponse.SignedContent(request.SessionId, request.ExpiresUtc, duration, requestHash), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var response = new SupportResponse(request.SessionId, request.ExpiresUtc, duration, requestHash, signature);
        using RSA oneTimeKey = request.OneTimePublicKey();
        byte[] body = HybridEnvelope.Seal(oneTimeKey, response.Serialize(), SupportTokenText.Header(SupportTokenKind.Response));
        return new SupportGrant(
            SupportTokenText.Encode(SupportTokenKind.Response, body), request.SessionId, Convert.ToHexStringLower(requestHash), duration, now, request.ExpiresUtc, grantedBy);
    }

    /// <summary>
    /// Decrypts a CloudAdmin password recovery token, checks it, and signs the response that lets the issuing instance
    /// set the committed password on the named account, once, before the request expires. The authority never sees the
    /// password, only a commitment to it.
    /// </summary>
    /// <exception cref="SupportTokenException">The request is damaged, not for this authority, or expired.</exception>
    public PasswordRecoveryGrant GrantRecovery(string requestToken, string grantedBy)
    {
        byte[] binary = SupportTokenText.DecodeBinary(requestToken, SupportTokenKind.RecoveryRequest);
        PasswordRecoveryRequest request = PasswordRecoveryRequest.Parse(Open(binary, SupportTokenKind.RecoveryRequest));
        DateTimeOffset now = NotExpired(request.ExpiresUtc, "The recovery token has expired; ask the operator for a new one (Get-CloudAdminPasswordRecoveryToken).");
        byte[] requestHash = SHA256.HashData(binary);
        byte[] signature = _signing.SignData(
            PasswordRecoveryResponse.SignedContent(request.RecoveryId, request.ExpiresUtc, requestHash, request.Account), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var response = new PasswordRecoveryResponse(request.RecoveryId, request.ExpiresUtc, requestHash, request.Account, signature);
        return new PasswordRecoveryGrant(
            SupportTokenText.Encode(SupportTokenKind.RecoveryResponse, response.Serialize()), request.RecoveryId, request.Account,
            Convert.ToHexStringLower(requestHash), now, request.ExpiresUtc, grantedBy);
    }

    /// <summary>A request token's body, decrypted with the encryption key (its header bound in).</summary>
    private byte[] Open(byte[] binary, SupportTokenKind kind)
        => HybridEnvelope.Open(_encryption, SupportTokenText.Body(binary), SupportTokenText.Header(kind));

    /// <summary>Now, when it is before <paramref name="expiresUtc"/>; otherwise the request is refused as expired.</summary>
    private DateTimeOffset NotExpired(DateTimeOffset expiresUtc, string message)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return expiresUtc > now ? now : throw new SupportTokenException(SupportTokenFailure.Expired, message);
    }

    private static RSA LoadPrivate(string path)
    {
        string pem = File.ReadAllText(path);
        RSA key = RSA.Create();
        try
        {
            key.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new CryptographicException($"'{path}' does not hold an RSA private key in PEM form.", e);
        }

        if (!pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            key.Dispose();
            throw new CryptographicException($"'{path}' holds only a public key; the authority needs its private keys.");
        }

        return key;
    }

    public void Dispose()
    {
        _encryption.Dispose();
        _signing.Dispose();
    }
}
