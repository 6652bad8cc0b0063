using System.Text;
using Pep.Core.Contracts.Broker;

namespace Pep.Core.Tests.Contracts;

/// <summary>The broker requests and replies of a password recovery and of a support token's record.</summary>
public sealed class RecoveryRequestsTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void EveryRecoveryRequestAndReply_IsReadBackAsItself()
    {
        BrokerRequest[] requests =
        [
            new RequestPasswordRecoveryRequest("operator2", "Passw0rd!"u8.ToArray()), new RequestPasswordRecoveryRequest(null, "Passw0rd!"u8.ToArray()),
            new CompletePasswordRecoveryRequest("AAAA BBBB", CheckOnly: true), new SupportTokenIssuedRequest(Guid.NewGuid(), Hash, DateTime.UtcNow),
        ];
        BrokerReply[] replies = [new PasswordRecoveryTokenReply("AAAA", @"AZURESTACK\x", Guid.NewGuid(), DateTime.UtcNow), new PasswordRecoveryReply(@"AZURESTACK\x", Guid.NewGuid())];

        foreach (BrokerRequest request in requests)
        {
            Assert.Equal(request, BrokerFrames.Decode<BrokerRequest>(BrokerFrames.Encode(request)), RecordComparer);
            Assert.Null(request.Validate());
        }

        foreach (BrokerReply reply in replies)
        {
            Assert.Equal(reply, BrokerFrames.Decode<BrokerReply>(BrokerFrames.Encode(reply)));
        }
    }

    [Fact]
    public void ARecoveryRequest_NeverShowsItsPassword_AndWipesIt()
    {
        byte[] password = Encoding.UTF8.GetBytes("Secret-Recovery-1!");
        var request = new RequestPasswordRecoveryRequest("operator2", password);

        Assert.Equal("Get-CloudAdminPasswordRecoveryToken 'operator2'", request.ToString());
        request.ClearSecrets();
        Assert.All(password, b => Assert.Equal(0, b));
    }

    [Fact]
    public void RequestsOutsideTheirBounds_AreInvalid()
    {
        Assert.NotNull(new RequestPasswordRecoveryRequest("operator2", []).Validate());
        Assert.NotNull(new RequestPasswordRecoveryRequest(new string('a', 201), [1]).Validate());
        Assert.NotNull(new CompletePasswordRecoveryRequest("", CheckOnly: false).Validate());
        Assert.NotNull(new CompletePasswordRecoveryRequest(new string('A', CompletePasswordRecoveryRequest.MaxTokenLength + 1), CheckOnly: false).Validate());
        Assert.NotNull(new SupportTokenIssuedRequest(Guid.NewGuid(), "not a hash", DateTime.UtcNow).Validate());
        Assert.NotNull(new SupportTokenIssuedRequest(Guid.NewGuid(), Hash.ToUpperInvariant(), DateTime.UtcNow).Validate());
    }

    /// <summary>Records holding byte arrays compare them by reference: compare the frames instead.</summary>
    private static readonly IEqualityComparer<BrokerRequest> RecordComparer = EqualityComparer<BrokerRequest>.Create(
        (a, b) => a is not null && b is not null && BrokerFrames.Encode(a).AsSpan().SequenceEqual(BrokerFrames.Encode(b)), r => r.GetType().GetHashCode());
}
