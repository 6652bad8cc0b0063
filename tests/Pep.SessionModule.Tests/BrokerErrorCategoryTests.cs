using System.Management.Automation;
using Pep.Core.Contracts.Broker;

namespace Pep.SessionModule.Tests;

public sealed class BrokerErrorCategoryTests
{
    [Fact]
    public void EveryCategoryTheGatewayMaySend_IsOneOfPowerShellsOwn()
    {
        Assert.All(Enum.GetNames<BrokerErrorCategory>(), name => Assert.True(Enum.TryParse<ErrorCategory>(name, out _), name));
    }
}
