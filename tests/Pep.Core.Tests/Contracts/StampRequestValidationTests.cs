using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Contracts;

/// <summary>The gateway checks every stamp request's fields again, whatever the cmdlet checked.</summary>
public sealed class StampRequestValidationTests
{
    public static TheoryData<BrokerRequest, string> Refused => new()
    {
        { new RunStampLifecycleRequest(RoleAction.Stop, [], 60), "Give 1 to 100 role names." },
        { new RunStampLifecycleRequest(RoleAction.Stop, ["DNS"], 0), "TimeoutInSecs must be 1 to 86400." },
        { new RunStampLifecycleRequest(RoleAction.Start, [new string('r', 65)], 60), "A role name must have 1 to 64 characters." },
        { new TestStampRequest("", null, null, false, 60), "Group must have 1 to 64 characters." },
        { new TestStampRequest("Default", [], null, false, 60), "Give 1 to 100 category names." },
        { new CollectStampLogsRequest(null, null, null, null, "/a", @"\\h\s", "u", [1], 10), "Give an output path or a share, not both." },
        { new CollectStampLogsRequest(null, null, null, null, null, @"\\h\s", null, null, 10), "A share needs its credential." },
        { new CollectStampLogsRequest(null, null, null, null, new string('/', 4097), null, null, null, 10), "OutputPath must have 1 to 4096 characters." },
        { new CollectStampLogsRequest(null, null, null, null, null, null, null, null, 1441), "TimeoutMinutes must be 1 to 1440." },
        { new CollectClusterLogRequest(["N1"], null, 0, false, false), "Minutes must be 1 to 525600." },
        { new FollowActionRequest("../../etc"), "An action id has 32 hex digits." },
        { new GetActionStatusRequest(""), "FunctionName must have 1 to 64 characters." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void ARequestOutsideItsBounds_IsRefusedWithWhy(BrokerRequest request, string why)
    {
        ArgumentNullException.ThrowIfNull(request);
        Assert.Equal(why, request.Validate());
    }

    [Fact]
    public void RequestsWithinTheirBounds_PassValidation()
    {
        BrokerRequest[] fine =
        [
            new RunStampLifecycleRequest(RoleAction.Stop, ["DNS", "Portal"], 2400), new TestStampRequest("Default", ["AzsNetworkInfra"], null, true, 1800),
            new CollectStampLogsRequest(["DNS"], ["AZS-NODE01"], DateTime.UtcNow, null, "/tmp", null, null, null, 150),
            new CollectClusterLogRequest(null, null, 60, true, true), new FollowActionRequest(Guid.NewGuid().ToString("N")), new GetActionStatusRequest(null),
        ];

        Assert.All(fine, request => Assert.Null(request.Validate()));
    }

    [Fact]
    public void ALogCollectionsDescription_NamesTheShareUserButNeverThePassword()
    {
        byte[] password = "Share-Pass-123"u8.ToArray();
        var request = new CollectStampLogsRequest(["DNS"], null, null, null, null, @"\\h\s", "WORKGROUP\\u", password, 10);

        Assert.DoesNotContain("Share-Pass-123", request.ToString(), StringComparison.Ordinal);
        Assert.Contains("WORKGROUP\\u", request.Describe(), StringComparison.Ordinal);
        request.ClearSecrets();
        Assert.All(password, b => Assert.Equal(0, b));
    }
}
