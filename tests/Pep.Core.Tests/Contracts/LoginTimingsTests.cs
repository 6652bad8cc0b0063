using Pep.Core.Contracts;

namespace Pep.Core.Tests.Contracts;

public sealed class LoginTimingsTests
{
    [Fact]
    public void TheGatewayAnswersALogin_BeforeTheClientStopsWaitingForIt()
        => Assert.True(LoginTimings.GatewayAdmissionWait < LoginTimings.ClientLoginAllowance,
            $"the gateway may hold a login {LoginTimings.GatewayAdmissionWait} but the client waits only {LoginTimings.ClientLoginAllowance}");

    [Fact]
    public void TheGatewaysAnswer_LeavesTheLoginTimeToBeVerified_AfterItsAdmission()
        => Assert.True(LoginTimings.ClientLoginAllowance - LoginTimings.GatewayAdmissionWait >= TimeSpan.FromSeconds(10),
            "a login admitted at the last moment still needs time for its PBKDF2 verification before the client gives up");
}
