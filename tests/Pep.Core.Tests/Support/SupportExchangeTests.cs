using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

/// <summary>The whole exchange in memory: the endpoint's <see cref="SupportSession"/> and the vendor's <see cref="SupportAuthority"/>.</summary>
public sealed class SupportExchangeTests(AuthorityKeys keys) : IClassFixture<AuthorityKeys>, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _owned = [];

    private SupportAuthority Authority(RSA? encryption = null, RSA? signing = null)
        => Own(new SupportAuthority(AuthorityKeys.Copy(encryption ?? keys.Encryption), AuthorityKeys.Copy(signing ?? keys.Signing), _time));

    private SupportSession Session(SupportSettings? settings = null)
    {
        SupportAuthorityBundle bundle = Own(SupportAuthorityBundle.Parse(SupportAuthorityBundle.ToJson(keys.Encryption, keys.Signing)));
        return Own(new SupportSession(bundle, settings ?? new SupportSettings(), _time));
    }

    [Fact]
    public void Unlock_WithTheAuthorityResponse_ElevatesForTheGrantedTime()
    {
        SupportSession session = Session();
        string request = session.CreateRequest().Text;

        SupportGrant grant = Authority().Grant(request, TimeSpan.FromHours(4), "vendor-engineer");
        SupportElevation elevation = session.Unlock(grant.ResponseToken, @"AZURESTACK\cloudadmin");

        SupportSessionStatus status = session.GetStatus();
        Assert.Equal(SupportSessionState.Elevated, status.State);
        Assert.Equal(TimeSpan.FromHours(4), elevation.Duration);
        Assert.Equal(@"AZURESTACK\cloudadmin", elevation.UnlockedBy);
        Assert.Equal(_time.GetUtcNow(), elevation.ElevatedSinceUtc);
        Assert.Equal(grant.SessionId, elevation.SupportSessionId);
        Assert.Equal(grant.RequestHash, elevation.RequestHash);
        Assert.False(status.RequestPending);
    }

    [Fact]
    public void Elevation_LocksBackWhenTheGrantedTimeRunsOut()
    {
        SupportSession session = Session();
        session.Unlock(Authority().Grant(session.CreateRequest().Text, TimeSpan.FromMinutes(30), "v").ResponseToken, "op");

        _time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(SupportSessionState.Elevated, session.GetStatus().State);
        _time.Advance(TimeSpan.FromMinutes(1));

        SupportSessionStatus status = session.GetStatus();
        Assert.Equal(SupportSessionState.Locked, status.State);
        Assert.Equal(SupportLockReason.TimeRanOut, status.LastLockBack!.Reason);
    }

    [Fact]
    public void Elevation_IsCappedByTheStampsMaximum()
    {
        SupportSession session = Session(new SupportSettings { MaxElevationSeconds = 5 });

        SupportElevation elevation = session.Unlock(Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(8), "v").ResponseToken, "op");

        Assert.Equal(TimeSpan.FromSeconds(5), elevation.Duration);
        Assert.Equal(TimeSpan.FromHours(8), elevation.GrantedDuration);
    }

    [Fact]
    public void Grant_OfMoreThanEightHours_IsRefused()
    {
        SupportSession session = Session();

        Assert.Throws<ArgumentOutOfRangeException>(() => Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(8.01), "v"));
    }

    [Fact]
    public void Unlock_WithResponseForAnotherSession_IsRefused()
    {
        SupportSession mine = Session();
        SupportSession other = Session();
        mine.CreateRequest();
        string othersResponse = Authority().Grant(other.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;

        var e = Assert.Throws<SupportTokenException>(() => mine.Unlock(othersResponse, "op"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
        Assert.Equal(SupportSessionState.Locked, mine.GetStatus().State);
        Assert.True(mine.GetStatus().RequestPending);
    }

    [Fact]
    public void Unlock_ASecondTime_IsRefused()
    {
        SupportSession session = Session();
        string response = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromSeconds(10), "v").ResponseToken;
        session.Unlock(response, "op");
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);

        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(response, "op"));

        Assert.Equal(SupportTokenFailure.NoPendingRequest, e.Failure);
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);
    }

    [Fact]
    public void Unlock_WithTheResponseToAReplacedRequest_IsRefused()
    {
        SupportSession session = Session();
        string oldResponse = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        session.CreateRequest();

        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(oldResponse, "op"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
    }

    [Fact]
    public void Unlock_AfterTheRequestExpired_IsRefused()
    {
        SupportSession session = Session(new SupportSettings { RequestLifetimeSeconds = 600 });
        string response = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        _time.Advance(TimeSpan.FromSeconds(600));

        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(response, "op"));

        Assert.Equal(SupportTokenFailure.Expired, e.Failure);
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);
        Assert.False(session.GetStatus().RequestPending);
    }

    [Fact]
    public void Grant_OfAnExpiredRequest_IsRefused()
    {
        SupportSession session = Session(new SupportSettings { RequestLifetimeSeconds = 600 });
        string request = session.CreateRequest().Text;
        _time.Advance(TimeSpan.FromSeconds(601));

        var e = Assert.Throws<SupportTokenException>(() => Authority().Grant(request, TimeSpan.FromHours(1), "v"));

        Assert.Equal(SupportTokenFailure.Expired, e.Failure);
    }

    [Fact]
    public void Unlock_WithATamperedResponseWhoseChecksumWasFixed_IsRefusedWithTheUniformMessage()
    {
        SupportSession session = Session();
        string response = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        byte[] body = SupportTokenText.Body(SupportTokenText.DecodeBinary(response, SupportTokenKind.Response)).ToArray();
        body[^20] ^= 0x01;

        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(SupportTokenText.Encode(SupportTokenKind.Response, body), "op"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
        Assert.Equal("The token is not valid here: it was not issued for this request by the registered support authority.", e.Message);
    }

    [Fact]
    public void Unlock_WithAResponseSignedByAnotherKey_IsRefused()
    {
        SupportSession session = Session();
        SupportAuthority impostor = Authority(keys.Encryption, keys.OtherSigning);

        string response = impostor.Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(response, "op"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);
    }

    [Fact]
    public void Unlock_WithAResponseMadeOnlyWithTheOneTimePublicKey_IsRefused()
    {
        SupportSession session = Session();
        byte[] binary = SupportTokenText.DecodeBinary(session.CreateRequest().Text, SupportTokenKind.Request);
        SupportRequest request = SupportRequest.Parse(HybridEnvelope.Open(keys.Encryption, SupportTokenText.Body(binary), SupportTokenText.Header(SupportTokenKind.Request)));
        var unsigned = new SupportResponse(request.SessionId, request.ExpiresUtc, TimeSpan.FromHours(8), SHA256.HashData(binary), new byte[384]);
        using RSA oneTimeKey = request.OneTimePublicKey();
        string forged = SupportTokenText.Encode(SupportTokenKind.Response, HybridEnvelope.Seal(oneTimeKey, unsigned.Serialize(), SupportTokenText.Header(SupportTokenKind.Response)));

        var e = Assert.Throws<SupportTokenException>(() => session.Unlock(forged, "op"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);
    }

    [Fact]
    public void Grant_ByAnAuthorityWithoutTheRegisteredEncryptionKey_Fails()
    {
        SupportSession session = Session();

        var e = Assert.Throws<SupportTokenException>(() => Authority(keys.OtherEncryption, keys.Signing).Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v"));

        Assert.Equal(SupportTokenFailure.Invalid, e.Failure);
    }

    /// <summary>The README's promise, written out: the one-time key is destroyed after 5 invalid responses.</summary>
    [Theory]
    [InlineData(4, SupportSessionState.Elevated)]
    [InlineData(5, null)]
    public void Unlock_AfterInvalidResponses_DestroysTheOneTimeKeyAtTheFifth(int invalidResponses, SupportSessionState? afterGenuine)
    {
        SupportSession session = Session();
        string good = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        SupportSession other = Session();
        string foreign = Authority().Grant(other.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;
        for (int i = 0; i < invalidResponses; i++)
        {
            Assert.Equal(SupportTokenFailure.Invalid, Assert.Throws<SupportTokenException>(() => session.Unlock(foreign, "op")).Failure);
        }

        if (afterGenuine is { } state)
        {
            session.Unlock(good, "op");
            Assert.Equal(state, session.GetStatus().State);
        }
        else
        {
            Assert.Equal(SupportTokenFailure.NoPendingRequest, Assert.Throws<SupportTokenException>(() => session.Unlock(good, "op")).Failure);
        }
    }

    [Fact]
    public void CreateRequest_WhileElevated_IsRefused()
    {
        SupportSession session = Session();
        session.Unlock(Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken, "op");

        var e = Assert.Throws<SupportTokenException>(() => session.CreateRequest());

        Assert.Equal(SupportTokenFailure.AlreadyElevated, e.Failure);
    }

    [Fact]
    public void Dispose_EndsTheElevationAndTheRequest()
    {
        SupportSession session = Session();
        session.Unlock(Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken, "op");

        session.Dispose();

        Assert.Equal(SupportLockReason.SessionEnded, session.GetStatus().LastLockBack!.Reason);
        Assert.Equal(SupportSessionState.Locked, session.GetStatus().State);
    }

    [Fact]
    public void Request_CarriesOnlyTheSessionIdTheOneTimeCertificateAndTheExpiry()
    {
        SupportSession session = Session(new SupportSettings { RequestLifetimeSeconds = 900 });
        byte[] binary = SupportTokenText.DecodeBinary(session.CreateRequest().Text, SupportTokenKind.Request);

        SupportRequest request = SupportRequest.Parse(HybridEnvelope.Open(keys.Encryption, SupportTokenText.Body(binary), SupportTokenText.Header(SupportTokenKind.Request)));

        using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(request.CertificateDer);
        Assert.Equal("CN=Support session one-time key", certificate.Subject);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(900), request.ExpiresUtc);
        Assert.False(certificate.HasPrivateKey);
    }

    [Fact]
    public void Bundle_WithTheSameKeyTwice_IsRefused()
    {
        Assert.Throws<FormatException>(() => SupportAuthorityBundle.Parse(SupportAuthorityBundle.ToJson(keys.Signing, keys.Signing)));
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (IDisposable disposable in _owned)
        {
            disposable.Dispose();
        }
    }
}
