using System.Buffers.Binary;
using System.Text;
using Pep.Core.Contracts.Broker;

namespace Pep.Core.Tests.Contracts;

public sealed class BrokerFramesTests
{
    private static byte[] Frame(byte[] payload)
    {
        byte[] frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    private static Task<byte[]?> ReadAsync(byte[] bytes, int max = BrokerFrames.MaxRequestBytes)
        => BrokerFrames.ReadAsync(new MemoryStream(bytes), max, CancellationToken.None);

    [Fact]
    public async Task ARequest_WrittenAndRead_IsTheSameRequest_WithItsKindFirst()
    {
        var request = new SetAccountPasswordRequest(@"AZURESTACK\bob", Encoding.UTF8.GetBytes("old-Password-1"), Encoding.UTF8.GetBytes("new-Password-2"), CheckOnly: true);
        var stream = new MemoryStream();
        await BrokerFrames.WriteAsync(stream, BrokerFrames.Encode(request), CancellationToken.None);

        byte[] payload = (await ReadAsync(stream.ToArray()))!;

        Assert.StartsWith("{\"kind\":\"setAccountPassword\"", Encoding.UTF8.GetString(payload), StringComparison.Ordinal);
        var read = Assert.IsType<SetAccountPasswordRequest>(BrokerFrames.Decode<BrokerRequest>(payload));
        Assert.Equal((request.UserName, true), (read.UserName, read.CheckOnly));
        Assert.Equal(request.NewPassword, read.NewPassword);
    }

    [Fact]
    public async Task AReply_OfEveryKind_IsReadBackAsItself()
    {
        BrokerReply[] replies =
        [
            new BrokerProgress("copying", 50, -1), new BrokerWarning("w"), new BrokerVerbose("v"),
            new BrokerFailure("CloudAdminUserExists", BrokerErrorCategory.ResourceExists, "exists", "AZURESTACK\\bob"),
            new DoneReply(null), new AccountListReply([new BrokerAccount("AZURESTACK\\bob", DateTime.UnixEpoch, DateTime.UnixEpoch, true)]),
            new LegalNoticeReply("c", "t"), new DnsForwardersReply(["10.0.0.1"], "dns", "/x"),
            new StampLifecyclePlanReply("azs", ["DNS"]), new StampLifecycleReply([new StampRoleOutcome("DNS", Pep.Core.Stamp.Manifest.RoleAction.Stop, true, "stopped")]),
            new StampLogsReply([new StampLogArchive("DNS", "/x/DNS.zip", 1, 2, true, [])], "/x", DateTime.UnixEpoch, DateTime.UnixEpoch),
            new StampTestReply("Default", "s", [], null, [], [], [], "c", true),
            new ActionStartedReply(Pep.Core.Stamp.Actions.ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), DateTime.UnixEpoch)), new ActionRunningReply(new string('a', 32), "p", 5),
            new ActionStatusReply([Pep.Core.Stamp.Actions.ActionRecord.Start("Stop-AzureStack", "u", "ERCS01", Guid.NewGuid(), DateTime.UnixEpoch)]),
        ];

        foreach (BrokerReply reply in replies)
        {
            var stream = new MemoryStream();
            await BrokerFrames.WriteAsync(stream, BrokerFrames.Encode(reply), CancellationToken.None);
            BrokerReply read = BrokerFrames.Decode<BrokerReply>((await ReadAsync(stream.ToArray(), BrokerFrames.MaxReplyBytes))!);
            Assert.Equal(reply.GetType(), read.GetType());
            Assert.Equal(reply.IsFinal, read.IsFinal);
        }
    }

    [Fact]
    public async Task AFrameLargerThanTheLimit_IsRefusedFromItsLength_BeforeItsPayloadIsRead()
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, BrokerFrames.MaxRequestBytes + 1);

        var refused = await Assert.ThrowsAsync<BrokerProtocolException>(() => ReadAsync(header));

        Assert.Contains($"{BrokerFrames.MaxRequestBytes + 1} bytes was refused", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "inside a frame's length")]
    [InlineData(new byte[] { 0, 0, 0, 9, (byte)'{', (byte)'}' }, "inside a frame of 9 bytes")]
    [InlineData(new byte[] { 0, 0, 0, 0 }, "frames hold 1 to")]
    public async Task AHalfOrEmptyFrame_IsRefused(byte[] bytes, string reason)
    {
        var refused = await Assert.ThrowsAsync<BrokerProtocolException>(() => ReadAsync(bytes));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionClosedBetweenFrames_ReadsAsNoFrame()
    {
        Assert.Null(await ReadAsync([]));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"kind\":\"formatDisk\"}")]
    [InlineData("{\"userName\":\"bob\",\"checkOnly\":false}")]
    [InlineData("{\"kind\":\"removeAccount\",\"userName\":\"bob\",\"checkOnly\":false,\"session\":\"someone-else\"}")]
    [InlineData("{\"kind\":\"removeAccount\",\"checkOnly\":false}")]
    [InlineData("{\"kind\":\"removeAccount\",\"userName\":null,\"checkOnly\":false}")]
    [InlineData("{\"userName\":\"bob\",\"kind\":\"removeAccount\",\"checkOnly\":false}")]
    [InlineData("null")]
    public void APayloadThatIsNotAKnownWholeRequest_IsRefused(string json)
    {
        Assert.Throws<BrokerProtocolException>(() => BrokerFrames.Decode<BrokerRequest>(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void APasswordInARequest_ReachesNeitherItsDescriptionNorItsTextNorARefusal()
    {
        const string password = "Sup3r-Secret-Pw!";
        var request = new NewAccountRequest("bob", Encoding.UTF8.GetBytes(password));
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(password));
        byte[] tampered = Encoding.UTF8.GetBytes($"{{\"kind\":\"newAccount\",\"userName\":\"bob\",\"password\":\"{base64}\",\"extra\":1}}");

        var refused = Assert.Throws<BrokerProtocolException>(() => BrokerFrames.Decode<BrokerRequest>(tampered));

        foreach (string text in new[] { request.Describe(), request.ToString(), refused.Message, refused.InnerException!.Message })
        {
            Assert.DoesNotContain(password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(base64, text, StringComparison.Ordinal);
        }

        request.ClearSecrets();
        Assert.All(request.Password, b => Assert.Equal(0, b));
    }

    [Fact]
    public void TypedText_IsLoggedOnOneLineAndShortened()
    {
        string described = new RemoveAccountRequest("bob\r\nforged line" + new string('x', 300), CheckOnly: false).Describe();

        Assert.DoesNotContain('\n', described);
        Assert.True(described.Length < 160, described);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(201, 1)]
    [InlineData(5, 0)]
    [InlineData(5, AccountLimits.MaxPasswordBytes + 1)]
    public void AnAccountRequestOutOfItsBounds_IsInvalid(int nameLength, int passwordBytes)
    {
        Assert.NotNull(new NewAccountRequest(new string('a', nameLength), new byte[passwordBytes]).Validate());
    }

    [Fact]
    public void RequestsWithinTheirBounds_AreValid()
    {
        Assert.Null(new NewAccountRequest("bob", new byte[12]).Validate());
        Assert.Null(new SetLegalNoticeRequest("", "").Validate());
        Assert.Null(new SetDnsForwardersRequest(["10.0.0.1"]).Validate());
        Assert.NotNull(new SetDnsForwardersRequest([]).Validate());
        Assert.NotNull(new SetLegalNoticeRequest(new string('c', 257), "").Validate());
    }
}
