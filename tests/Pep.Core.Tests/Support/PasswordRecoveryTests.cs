using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Core.Tests.Support;

/// <summary>A CloudAdmin password recovery in memory: the gateway's <see cref="PasswordRecovery"/> and the vendor's <see cref="SupportAuthority"/>.</summary>
public sealed class PasswordRecoveryTests(AuthorityKeys keys) : IClassFixture<AuthorityKeys>, IDisposable
{
    private const string Account = @"AZURESTACK\cloudadmin";
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private static readonly byte[] Binding = PasswordRecoveryRequest.BindingOf(Guid.Parse("6c1a0f4e-94f2-4a51-9e52-3f6f2d9b8a10"), "ERCS01");

    /// <summary>One verifier for all tests: deriving one costs 600,000 PBKDF2 iterations.</summary>
    private static readonly PasswordVerifier NewPassword = PasswordHasher.Create("Recovered-Passw0rd!");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 5, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _owned = [];

    [Fact]
    public void TheAuthoritysResponse_GivesTheCommittedVerifierForTheNamedAccount_Once()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        PasswordRecoveryToken token = Request(recovery);

        PasswordRecoveryGrant grant = Authority().GrantRecovery(token.Text, "vendor-engineer");
        RecoveredPassword recovered = recovery.Redeem(keys.Signing, grant.ResponseToken, consume: true);

        Assert.Equal(Account, recovered.Account);
        Assert.Equal((token.RecoveryId, token.RequestHash), (recovered.RecoveryId, recovered.RequestHash));
        Assert.Equal((grant.RecoveryId, grant.Account, grant.RequestHash), (token.RecoveryId, Account, token.RequestHash));
        Assert.True(PasswordHasher.Verify("Recovered-Passw0rd!", recovered.Verifier));
        Assert.Equal(SupportTokenFailure.NoPendingRequest, Refusal(recovery, grant.ResponseToken));
    }

    [Fact]
    public void ACheck_LeavesTheResponseUsable()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string response = Authority().GrantRecovery(Request(recovery).Text, "v").ResponseToken;

        recovery.Redeem(keys.Signing, response, consume: false);

        Assert.Equal(Account, recovery.Redeem(keys.Signing, response, consume: true).Account);
    }

    [Fact]
    public void AResponseSignedByAnotherKey_IsInvalid_AndTheRecoveryStillWaits()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string request = Request(recovery).Text;

        string forged = Authority(signing: keys.OtherSigning).GrantRecovery(request, "impostor").ResponseToken;

        Assert.Equal(SupportTokenFailure.Invalid, Refusal(recovery, forged));
        Assert.Equal(Account, recovery.Redeem(keys.Signing, Authority().GrantRecovery(request, "v").ResponseToken, consume: true).Account);
    }

    [Fact]
    public void ATamperedResponse_IsInvalid()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string response = Authority().GrantRecovery(Request(recovery).Text, "v").ResponseToken;
        byte[] body = SupportTokenText.Body(SupportTokenText.DecodeBinary(response, SupportTokenKind.RecoveryResponse)).ToArray();
        body[20] ^= 1; // inside the expiry: the checksum is recomputed, so only the signature can notice

        Assert.Equal(SupportTokenFailure.Invalid, Refusal(recovery, SupportTokenText.Encode(SupportTokenKind.RecoveryResponse, body)));
    }

    [Fact]
    public void AResponseToAnEarlierToken_IsInvalid_OnceANewTokenReplacedIt()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string earlier = Authority().GrantRecovery(Request(recovery).Text, "v").ResponseToken;
        Request(recovery);

        Assert.Equal(SupportTokenFailure.Invalid, Refusal(recovery, earlier));
    }

    [Fact]
    public void AResponseToAnotherInstancesToken_IsInvalidHere()
    {
        PasswordRecovery here = new(_time, Lifetime);
        PasswordRecovery there = new(_time, Lifetime);
        Request(here);

        string answerThere = Authority().GrantRecovery(Request(there).Text, "v").ResponseToken;

        Assert.Equal(SupportTokenFailure.Invalid, Refusal(here, answerThere));
    }

    [Fact]
    public void AResponseAfterTheLifetime_IsExpired_AndTheRecoveryIsDropped()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string response = Authority().GrantRecovery(Request(recovery).Text, "v").ResponseToken;

        _time.Advance(Lifetime);

        Assert.Equal(SupportTokenFailure.Expired, Refusal(recovery, response));
        Assert.Equal(SupportTokenFailure.NoPendingRequest, Refusal(recovery, response));
    }

    [Fact]
    public void TheAuthority_RefusesAnExpiredToken()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string request = Request(recovery).Text;
        _time.Advance(Lifetime);

        var refused = Assert.Throws<SupportTokenException>(() => Authority().GrantRecovery(request, "v"));

        Assert.Equal(SupportTokenFailure.Expired, refused.Failure);
    }

    [Fact]
    public void TokensOfBreakTheGlass_DoNotPassForRecoveryTokens_NorTheOtherWayRound()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string recoveryRequest = Request(recovery).Text;
        SupportAuthorityBundle bundle = Own(SupportAuthorityBundle.Parse(SupportAuthorityBundle.ToJson(keys.Encryption, keys.Signing)));
        SupportSession session = Own(new SupportSession(bundle, new SupportSettings(), _time));
        string supportResponse = Authority().Grant(session.CreateRequest().Text, TimeSpan.FromHours(1), "v").ResponseToken;

        Assert.Equal(SupportTokenFailure.WrongKind, Refusal(recovery, supportResponse));
        Assert.Equal(SupportTokenFailure.WrongKind, Refusal(recovery, recoveryRequest));
        Assert.Equal(SupportTokenFailure.WrongKind, Assert.Throws<SupportTokenException>(() => Authority().Grant(recoveryRequest, TimeSpan.FromHours(1), "v")).Failure);
        var unlock = Assert.Throws<SupportTokenException>(() => session.Unlock(Authority().GrantRecovery(recoveryRequest, "v").ResponseToken, "op"));
        Assert.Equal(SupportTokenFailure.WrongKind, unlock.Failure);
    }

    [Fact]
    public void FiveInvalidResponses_DropTheRecovery()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        string request = Request(recovery).Text;
        string forged = Authority(signing: keys.OtherSigning).GrantRecovery(request, "impostor").ResponseToken;
        for (int i = 0; i < PasswordRecovery.MaxInvalidResponses; i++)
        {
            Assert.Equal(SupportTokenFailure.Invalid, Refusal(recovery, forged));
        }

        Assert.Equal(SupportTokenFailure.NoPendingRequest, Refusal(recovery, Authority().GrantRecovery(request, "v").ResponseToken));
    }

    [Fact]
    public void TheToken_CommitsToTheVerifier_WithoutCarryingThePasswordOrTheVerifier()
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        PasswordRecoveryToken token = Request(recovery);
        byte[] binary = SupportTokenText.DecodeBinary(token.Text, SupportTokenKind.RecoveryRequest);

        byte[] plaintext = HybridEnvelope.Open(keys.Encryption, SupportTokenText.Body(binary), SupportTokenText.Header(SupportTokenKind.RecoveryRequest));
        PasswordRecoveryRequest request = PasswordRecoveryRequest.Parse(plaintext);

        Assert.Equal(PasswordRecoveryRequest.CommitmentTo(NewPassword), request.PasswordCommitment);
        Assert.Equal(Account, request.Account);
        Assert.Equal(Binding, request.InstanceBinding);
        Assert.Equal(-1, plaintext.AsSpan().IndexOf(NewPassword.Hash));
        Assert.Equal(-1, plaintext.AsSpan().IndexOf(NewPassword.Salt));
        Assert.Equal(-1, plaintext.AsSpan().IndexOf("Recovered-Passw0rd!"u8));
        Assert.NotEqual(PasswordRecoveryRequest.CommitmentTo(PasswordHasher.Create("Recovered-Passw0rd!")), request.PasswordCommitment);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAAAAAA BBBBBBBB")]
    [InlineData("not a token at all!")]
    public void GarbageInsteadOfAResponse_IsRefusedWithATokenFailure(string text)
    {
        PasswordRecovery recovery = new(_time, Lifetime);
        Request(recovery);

        var refused = Assert.Throws<SupportTokenException>(() => recovery.Redeem(keys.Signing, text, consume: true));

        Assert.Contains(refused.Failure, new[] { SupportTokenFailure.NotAToken, SupportTokenFailure.Damaged });
    }

    public void Dispose()
    {
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }
    }

    private PasswordRecoveryToken Request(PasswordRecovery recovery) => recovery.CreateRequest(keys.Encryption, Account, NewPassword, Binding);

    private SupportTokenFailure Refusal(PasswordRecovery recovery, string response)
        => Assert.Throws<SupportTokenException>(() => recovery.Redeem(keys.Signing, response, consume: true)).Failure;

    private SupportAuthority Authority(RSA? signing = null)
        => Own(new SupportAuthority(AuthorityKeys.Copy(keys.Encryption), AuthorityKeys.Copy(signing ?? keys.Signing), _time));

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
