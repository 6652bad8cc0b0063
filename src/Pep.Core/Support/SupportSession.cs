using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Deployment;

namespace Pep.Core.Support;

/// <summary>
/// The endpoint's side of break the glass, for one session: makes the request token, holds the one-time
/// private key (only here, only in memory), checks the response token, and keeps the elevation's clock.
/// A response is accepted only by the session that holds the request's key, only before expiry and only
/// once: the key is destroyed when it is used, when a new request replaces it, after repeated invalid
/// responses, and when the session ends (<see cref="Dispose"/>). Elevation time is measured on
/// <see cref="TimeProvider.GetTimestamp"/>, the monotonic clock, so changing the wall clock does not extend it.
/// Thread-safe: the session host's timer and its pipeline thread both ask it.
/// </summary>
public sealed class SupportSession : IDisposable
{
    /// <summary>Invalid responses tolerated for one request before its key is destroyed.</summary>
    public const int MaxInvalidResponses = 5;

    /// <summary>
    /// 2048 bits: the key lives only until the request expires (an hour by default) and protects a response
    /// that is signed anyway; 3072-bit generation took 1.6 s on the 2-core test machine, 2048 took 0.4 s.
    /// </summary>
    private const int OneTimeKeyBits = 2048;

    private readonly Lock _gate = new();
    private readonly SupportAuthorityBundle _authority;
    private readonly SupportSettings _settings;
    private readonly TimeProvider _time;
    private PendingRequest? _pending;
    private SupportElevation? _elevation;
    private SupportLockBack? _lastLockBack;

    public SupportSession(SupportAuthorityBundle authority, SupportSettings settings, TimeProvider time)
    {
        _authority = authority;
        _settings = settings;
        _time = time;
    }

    /// <summary>
    /// A new request token. A request that was waiting is replaced (its key destroyed): only the newest
    /// request can be answered.
    /// </summary>
    public SupportRequestToken CreateRequest()
    {
        lock (_gate)
        {
            ExpireIfDue();
            if (_elevation is not null)
            {
                throw new SupportTokenException(SupportTokenFailure.AlreadyElevated);
            }

            DropPending();
            DateTimeOffset now = _time.GetUtcNow();
            DateTimeOffset expires = TruncateToSeconds(now + _settings.RequestLifetime);
            var sessionId = new Guid(RandomNumberGenerator.GetBytes(16));
            RSA key = RSA.Create(OneTimeKeyBits);
            try
            {
                byte[] certificate = OneTimeCertificate(key, now, expires);
                var request = new SupportRequest(sessionId, expires, certificate);
                byte[] body = HybridEnvelope.Seal(_authority.EncryptionKey, request.Serialize(), SupportTokenText.Header(SupportTokenKind.Request));
                byte[] binary = SupportTokenText.ToBinary(SupportTokenKind.Request, body);
                byte[] requestHash = SHA256.HashData(binary);
                _pending = new PendingRequest(key, sessionId, requestHash, _time.GetTimestamp(), expires);
                return new SupportRequestToken(SupportTokenText.Encode(SupportTokenKind.Request, body), sessionId, Convert.ToHexStringLower(requestHash), expires);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
    }

    /// <summary>Checks a response token and, if it answers this session's pending request, elevates.</summary>
    /// <exception cref="SupportTokenException">The token is refused; the session stays locked.</exception>
    public SupportElevation Unlock(string? responseToken, string unlockedBy)
    {
        lock (_gate)
        {
            ExpireIfDue();
            if (_elevation is not null)
            {
                throw new SupportTokenException(SupportTokenFailure.AlreadyElevated);
            }

            byte[] binary = SupportTokenText.DecodeBinary(responseToken, SupportTokenKind.Response);
            PendingRequest pending = _pending ?? throw new SupportTokenException(SupportTokenFailure.NoPendingRequest);
            SupportResponse response;
            try
            {
                byte[] plaintext = HybridEnvelope.Open(pending.Key, SupportTokenText.Body(binary), SupportTokenText.Header(SupportTokenKind.Response));
                response = SupportResponse.Parse(plaintext);
                bool authentic = _authority.SigningKey.VerifyData(response.SignedContent(), response.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                bool answersThisRequest = response.SessionId == pending.SessionId
                    && CryptographicOperations.FixedTimeEquals(response.RequestHash, pending.RequestHash);
                if (!authentic || !answersThisRequest)
                {
                    throw new SupportTokenException(SupportTokenFailure.Invalid);
                }
            }
            catch (SupportTokenException)
            {
                if (++pending.InvalidResponses >= MaxInvalidResponses)
                {
                    DropPending();
                }

                throw;
            }
            catch (CryptographicException)
            {
                // A malformed signature can make verification throw rather than return false.
                if (++pending.InvalidResponses >= MaxInvalidResponses)
                {
                    DropPending();
                }

                throw new SupportTokenException(SupportTokenFailure.Invalid);
            }

            DateTimeOffset now = _time.GetUtcNow();
            if (_time.GetElapsedTime(pending.IssuedTimestamp) >= _settings.RequestLifetime || response.ExpiresUtc <= now || pending.ExpiresUtc <= now)
            {
                DropPending();
                throw new SupportTokenException(SupportTokenFailure.Expired);
            }

            DropPending();
            TimeSpan duration = response.GrantedDuration < _settings.MaxElevation ? response.GrantedDuration : _settings.MaxElevation;
            _elevation = new SupportElevation(
                response.SessionId, unlockedBy, now, _time.GetTimestamp(), duration, response.GrantedDuration, Convert.ToHexStringLower(response.RequestHash));
            return _elevation;
        }
    }

    /// <summary>The state now; an elevation whose time has run out is ended here (and reported as the last lock-back).</summary>
    public SupportSessionStatus GetStatus()
    {
        lock (_gate)
        {
            ExpireIfDue();
            TimeSpan? remaining = _elevation is null ? null : _elevation.Duration - _time.GetElapsedTime(_elevation.StartTimestamp);
            return new SupportSessionStatus(
                _elevation is null ? SupportSessionState.Locked : SupportSessionState.Elevated, _pending is not null, _elevation, remaining, _lastLockBack);
        }
    }

    /// <summary>Ends an elevation now (session closing). Returns the lock-back, or null if it was not elevated.</summary>
    public SupportLockBack? Lock(SupportLockReason reason)
    {
        lock (_gate)
        {
            ExpireIfDue();
            return EndElevation(reason);
        }
    }

    /// <summary>The session is ending: the one-time key is destroyed and any elevation ends.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            DropPending();
            EndElevation(SupportLockReason.SessionEnded);
        }
    }

    private void ExpireIfDue()
    {
        if (_elevation is not null && _time.GetElapsedTime(_elevation.StartTimestamp) >= _elevation.Duration)
        {
            EndElevation(SupportLockReason.TimeRanOut);
        }
    }

    private SupportLockBack? EndElevation(SupportLockReason reason)
    {
        if (_elevation is null)
        {
            return null;
        }

        _lastLockBack = new SupportLockBack(_elevation, _time.GetUtcNow(), reason);
        _elevation = null;
        return _lastLockBack;
    }

    private void DropPending()
    {
        _pending?.Key.Dispose();
        _pending = null;
    }

    /// <summary>A self-signed certificate that carries only the one-time public key: no name, no address, nothing about the stamp.</summary>
    private static byte[] OneTimeCertificate(RSA key, DateTimeOffset now, DateTimeOffset expires)
    {
        var request = new CertificateRequest("CN=Support session one-time key", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        using X509Certificate2 certificate = request.CreateSelfSigned(TruncateToSeconds(now - TimeSpan.FromMinutes(5)), expires);
        return certificate.RawData;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private sealed class PendingRequest(RSA key, Guid sessionId, byte[] requestHash, long issuedTimestamp, DateTimeOffset expiresUtc)
    {
        public RSA Key { get; } = key;
        public Guid SessionId { get; } = sessionId;
        public byte[] RequestHash { get; } = requestHash;
        public long IssuedTimestamp { get; } = issuedTimestamp;
        public DateTimeOffset ExpiresUtc { get; } = expiresUtc;
        public int InvalidResponses { get; set; }
    }
}
