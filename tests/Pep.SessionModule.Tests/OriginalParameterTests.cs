using System.Management.Automation;
using Pep.SessionModule.Accounts;
using Pep.SessionModule.Certificates;
using Pep.SessionModule.Logs;
using Pep.SessionModule.StampLifecycle;

namespace Pep.SessionModule.Tests;

/// <summary>
/// Parameters where scripts written for the original endpoint depend on them (issue 14): positions, aliases, and
/// no confirmation prompt where the original has none. End-to-end tests call them through the real client.
/// </summary>
public sealed class OriginalParameterTests
{
    private static int Position(Type cmdlet, string parameter)
        => new CommandMetadata(cmdlet).Parameters[parameter].ParameterSets.Values.Select(p => p.Position).Distinct().Single();

    [Theory]
    [InlineData(typeof(GetClusterLogCommand), "Node", 0)]
    [InlineData(typeof(StopAzureStackCommand), "TimeoutInSecs", 0)]
    [InlineData(typeof(StartAzureStackCommand), "TimeoutInSecs", 0)]
    [InlineData(typeof(SetCloudAdminUserPasswordCommand), "UserName", 0)]
    [InlineData(typeof(SetCloudAdminUserPasswordCommand), "CurrentPassword", 1)]
    [InlineData(typeof(SetCloudAdminUserPasswordCommand), "NewPassword", 2)]
    [InlineData(typeof(NewCloudAdminUserCommand), "UserName", 0)]
    [InlineData(typeof(NewCloudAdminUserCommand), "Password", 1)]
    [InlineData(typeof(RemoveCloudAdminUserCommand), "UserName", 0)]
    public void Parameter_IsAtTheOriginalsPosition(Type cmdlet, string parameter, int position)
        => Assert.Equal(position, Position(cmdlet, parameter));

    [Fact]
    public void GetClusterLog_Destination_IsNamedOnly()
        => Assert.Equal(int.MinValue, Position(typeof(GetClusterLogCommand), "Destination"));

    [Theory]
    [InlineData("TimeSpan", "Span")]
    [InlineData("UseLocalTime", "lt")]
    [InlineData("SkipClusterState", "scs")]
    public void GetClusterLog_HasTheOriginalsAliases(string parameter, string alias)
        => Assert.Contains(alias, new CommandMetadata(typeof(GetClusterLogCommand)).Parameters[parameter].Aliases);

    /// <summary>Below PowerShell's default $ConfirmPreference (High): no prompt unless -Confirm asks for one, and -WhatIf stays.</summary>
    [Theory]
    [InlineData(typeof(StopAzureStackCommand))]
    [InlineData(typeof(StartAzureStackCommand))]
    [InlineData(typeof(StartSecretRotationCommand))]
    public void LongStampOperations_DoNotAskByDefault_ButSupportWhatIfAndConfirm(Type cmdlet)
    {
        var metadata = new CommandMetadata(cmdlet);

        Assert.True(metadata.SupportsShouldProcess);
        Assert.True(metadata.ConfirmImpact < ConfirmImpact.High);
    }

    /// <summary>The original's Remove-CloudAdminUser asks (hence its -SkipConfirmation); this one does too.</summary>
    [Fact]
    public void RemoveCloudAdminUser_StillAsksByDefault()
        => Assert.Equal(ConfirmImpact.High, new CommandMetadata(typeof(RemoveCloudAdminUserCommand)).ConfirmImpact);
}
