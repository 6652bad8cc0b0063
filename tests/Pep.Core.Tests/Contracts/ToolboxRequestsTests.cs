using System.Text;
using Pep.Core.Contracts.Broker;

namespace Pep.Core.Tests.Contracts;

/// <summary>The broker requests and replies of the TLS policy, the DNS server settings and the BMC credential.</summary>
public sealed class ToolboxRequestsTests
{
    [Fact]
    public async Task EveryToolboxRequestAndReply_IsReadBackAsItself()
    {
        BrokerRequest[] requests =
        [
            new GetTlsPolicyRequest(), new SetTlsPolicyRequest("TLS_1.3"), new GetDnsServerSettingsRequest(), new SetDnsServerSettingsRequest(false),
            new RegisterCustomDnsServerRequest("contoso.com", ["10.0.0.1"], 1000), new SetBmcCredentialRequest("admin", [1, 2, 3], true),
        ];
        BrokerReply[] replies = [new TlsPolicyReply("TLS_All", ["TLS 1.2", "TLS 1.3"]), new DnsServerSettingsReply(true, ["contoso.com 10.0.0.1"], "DNS", "/x"), new BmcCredentialReply("admin", ["N1"], false)];

        foreach (BrokerRequest request in requests)
        {
            Assert.Equal(request.GetType(), (await RoundTripAsync<BrokerRequest>(BrokerFrames.Encode(request), BrokerFrames.MaxRequestBytes)).GetType());
            Assert.Null(request.Validate());
        }

        foreach (BrokerReply reply in replies)
        {
            Assert.Equal(reply.GetType(), (await RoundTripAsync<BrokerReply>(BrokerFrames.Encode(reply), BrokerFrames.MaxReplyBytes)).GetType());
        }
    }

    [Theory]
    [InlineData("TLS_1.0")]
    [InlineData("SSL3")]
    public void ATlsPolicyTheEndpointDoesNotKnow_IsInvalid(string version)
    {
        Assert.NotNull(new SetTlsPolicyRequest(version).Validate());
    }

    [Theory]
    [InlineData("a b", "pw")]
    [InlineData("admin", "two\nlines")]
    [InlineData("admin", "")]
    [InlineData("admin\n", "pw")]
    public void ABmcCredentialThatWouldAddALineToTheCommandsInput_IsInvalid(string user, string password)
    {
        Assert.NotNull(new SetBmcCredentialRequest(user, Encoding.UTF8.GetBytes(password), false).Validate());
    }

    [Fact]
    public void ABmcPassword_ReachesNeitherTheDescriptionNorTheText_AndIsWipedAfterUse()
    {
        const string password = "Bmc-Secret-Pw!";
        var request = new SetBmcCredentialRequest("admin", Encoding.UTF8.GetBytes(password), false);

        Assert.DoesNotContain(password, request.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, request.ToString(), StringComparison.Ordinal);
        request.ClearSecrets();
        Assert.All(request.BmcPassword, b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3601)]
    public void ARegisterCustomDnsServerTimeoutOutOfBounds_IsInvalid(int seconds)
    {
        Assert.NotNull(new RegisterCustomDnsServerRequest("contoso.com", ["10.0.0.1"], seconds).Validate());
    }

    private static async Task<T> RoundTripAsync<T>(byte[] encoded, int max)
        where T : class
    {
        var stream = new MemoryStream();
        await BrokerFrames.WriteAsync(stream, encoded, CancellationToken.None);
        return BrokerFrames.Decode<T>((await BrokerFrames.ReadAsync(new MemoryStream(stream.ToArray()), max, CancellationToken.None))!);
    }
}
