using Pep.Core.Stamp.Actions;

namespace Pep.Core.Tests.Stamp.Actions;

public sealed class ActionTypesTests
{
    [Theory]
    [InlineData("Start-AzureStack", ActionTypes.StampLifecycle)]
    [InlineData("stop-azurestack", ActionTypes.StampLifecycle)]
    [InlineData("Start-SecretRotation", ActionTypes.SecretRotation)]
    [InlineData("Get-AzureStackLog", ActionTypes.LogCollection)]
    [InlineData("Get-ClusterLog", ActionTypes.LogCollection)]
    [InlineData("Invoke-AzureStackOnDemandLog", ActionTypes.OnDemandLog)]
    public void EachActionCmdlet_HasTheTypeGetActionStatusFiltersBy_WhateverItsCase(string functionName, string expected)
        => Assert.Equal(expected, ActionTypes.Of(functionName));

    [Fact]
    public void ACmdletThisVersionDoesNotKnow_IsOfTypeOther_WhichNoFilterValueSelects()
    {
        Assert.Equal("Other", ActionTypes.Of("Set-Something"));
        Assert.DoesNotContain("Other", ActionTypes.All);
    }
}
