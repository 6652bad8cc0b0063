using System.Security.Cryptography;
using Pep.Core.Accounts;

namespace Pep.Core.Support;

/// <summary>
/// The endpoint's side of a CloudAdmin password recovery, for one instance (held by its gateway, in memory only):
/// issues the recovery token, keeps what it committed to (the account, the new password's verifier, the request's hash)
/// and accepts the support authority's signed response once. A response is accepted only by the instance that issued
/// the request, only for the newest request, only before it expires (on the wall clock and on the monotonic clock
/// from the issue) and only once: the pending recovery is dropped when it is used, when a new one replaces it, after
/// <see cref="MaxInvalidResponses"/> invalid responses, when it expires and when the gateway stops. So a replayed
/// response finds nothing to answer. Hashes are compared in constant time. Thread-safe.
/// </summary>
public sealed class PasswordRecovery(TimeProvider time, TimeSpan lifetime)
{
    /// <summary>Invalid responses tolerated for one request before it is dropped.</summary>
    public const int MaxInvalidResponses = 5;

    private readonly Lock _gate = new();
    private Pending? _pending;

    /// <summary>The recovery waiting for its response, if any (for the audit log: its id is replaced by a new request).</summary>
    public Guid? PendingRecoveryId
    {
        get
        {
            lock (_gate)
            {
                return _pending?.Token.RecoveryId;
            }
        }
    }

    /// <summary>A new recovery token for <paramref name="account"/>, committing to <paramref name="newPassword"/>; it replaces any waiting one.</summary>
    public PasswordRecoveryToken CreateRequest(RSA authorityEncryptionKey, string account, PasswordVerifier newPassword, byte[] instanceBinding)
    {
        ArgumentNullException.ThrowIfNull(authorityEncryptionKey);
        ArgumentNullException.ThrowIfNull(newPassword);
        DateTimeOffset expires = DateTimeOffset.FromUnixTimeSeconds((time.GetUtcNow() + lifetime).ToUnixTimeSeconds());
        var request = new PasswordRecoveryRequest(
            new Guid(RandomNumberGenerator.GetBytes(16)), expires, instanceBinding, PasswordRecoveryRequest.CommitmentTo(newPassword), account);
        byte[] body = HybridEnvelope.Seal(authorityEncryptionKey, request.Serialize(), SupportTokenText.Header(SupportTokenKind.RecoveryRequest));
        byte[] requestHash = SHA256.HashData(SupportTokenText.ToBinary(SupportTokenKind.RecoveryRequest, body));
        var token = new PasswordRecoveryToken(
            SupportTokenText.Encode(SupportTokenKind.RecoveryRequest, body), request.RecoveryId, account, Convert.ToHexStringLower(requestHash), expires);
        lock (_gate)
        {
            _pending = new Pending(token, requestHash, newPassword, time.GetTimestamp());
        }

        return token;
    }

    /// <summary>
    /// Checks a response against the waiting recovery. With <paramref name="consume"/> an accepted response is used up
    /// (the caller then sets the password); without, it is only checked (for the cmdlet's confirmation) and stays usable.
    /// </summary>
    /// <exception cref="SupportTokenException">The response is refused; its message says why, for the operator.</exception>
    public RecoveredPassword Redeem(RSA authoritySigningKey, string? responseToken, bool consume)
    {
        ArgumentNullException.ThrowIfNull(authoritySigningKey);
        lock (_gate)
        {
            byte[] binary = Decode(responseToken);
            Pending pending = _pending ?? throw Refusal(SupportTokenFailure.NoPendingRequest);
            PasswordRecoveryResponse response;
            try
            {
                response = PasswordRecoveryResponse.Parse(SupportTokenText.Body(binary));
                bool authentic = authoritySigningKey.VerifyData(response.SignedContent(), response.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                bool answersThisRequest = response.RecoveryId == pending.Token.RecoveryId
                    && CryptographicOperations.FixedTimeEquals(response.RequestHash, pending.RequestHash)
                    && response.Account == pending.Token.Account
                    && response.ExpiresUtc == pending.Token.ExpiresUtc;
                if (!authentic || !answersThisRequest)
                {
                    throw Refusal(SupportTokenFailure.Invalid);
                }
            }
            catch (Exception e) when (e is SupportTokenException or CryptographicException)
            {
                // A malformed signature can make verification throw rather than return false.
                if (++pending.InvalidResponses >= MaxInvalidResponses)
                {
                    _pending = null;
                }

                throw e as SupportTokenException ?? Refusal(SupportTokenFailure.Invalid);
            }

            if (time.GetElapsedTime(pending.IssuedTimestamp) >= lifetime || pending.Token.ExpiresUtc <= time.GetUtcNow())
            {
                _pending = null;
                throw Refusal(SupportTokenFailure.Expired);
            }

            if (consume)
            {
                _pending = null;
            }

            return new RecoveredPassword(pending.Token.RecoveryId, pending.Token.Account, pending.Token.RequestHash, pending.Verifier);
        }
    }

    /// <summary>Drops the waiting recovery (the account changed under it, or the gateway stops).</summary>
    public void Cancel(Guid recoveryId)
    {
        lock (_gate)
        {
            if (_pending?.Token.RecoveryId == recoveryId)
            {
                _pending = null;
            }
        }
    }

    /// <summary>The operator's message for each refusal: the support session's messages name the other exchange's cmdlets.</summary>
    public static string MessageFor(SupportTokenFailure failure) => failure switch
    {
        SupportTokenFailure.WrongKind => "This is not a password recovery response token (a recovery request, or a token of break the glass?).",
        SupportTokenFailure.Invalid => "The token is not valid here: it was not issued for this instance's waiting recovery by the registered support authority.",
        SupportTokenFailure.Expired => "The recovery token has expired. Start again with Get-CloudAdminPasswordRecoveryToken.",
        SupportTokenFailure.NoPendingRequest => "This instance has no password recovery waiting for a response (a response is used once, on the instance that issued its token, and a newer token replaces an older one). Start with Get-CloudAdminPasswordRecoveryToken.",
        _ => SupportTokenException.MessageFor(failure),
    };

    private static byte[] Decode(string? responseToken)
    {
        try
        {
            return SupportTokenText.DecodeBinary(responseToken, SupportTokenKind.RecoveryResponse);
        }
        catch (SupportTokenException e)
        {
            throw Refusal(e.Failure);
        }
    }

    private static SupportTokenException Refusal(SupportTokenFailure failure) => new(failure, MessageFor(failure));

    private sealed class Pending(PasswordRecoveryToken token, byte[] requestHash, PasswordVerifier verifier, long issuedTimestamp)
    {
        public PasswordRecoveryToken Token { get; } = token;
        public byte[] RequestHash { get; } = requestHash;
        public PasswordVerifier Verifier { get; } = verifier;
        public long IssuedTimestamp { get; } = issuedTimestamp;
        public int InvalidResponses { get; set; }
    }
}
