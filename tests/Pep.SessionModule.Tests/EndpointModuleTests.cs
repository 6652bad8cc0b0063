using System.Management.Automation.Runspaces;

namespace Pep.SessionModule.Tests;

/// <summary>The endpoint module imported from its manifest into a runspace of this process, as a session host imports it.</summary>
public sealed class EndpointModuleTests : IDisposable
{
    private readonly Runspace _runspace;

    public EndpointModuleTests()
    {
        InitialSessionState configuration = InitialSessionState.CreateDefault2();
        configuration.ImportPSModule(Path.Combine(AppContext.BaseDirectory, "PepEndpoint.psd1"));
        _runspace = RunspaceFactory.CreateRunspace(configuration);
        _runspace.Open();
    }

    [Fact]
    public void Module_ExportsExactlyTheEndpointCmdlets()
    {
        string[] expected =
        [
            "Add-CloudAdminUserSshKey",
            "Close-PrivilegedEndpoint",
            "Complete-CloudAdminPasswordRecovery",
            "Get-ActionStatus",
            "Get-AzSDnsServerSettings",
            "Get-AzSLegalNotice",
            "Get-AzsDnsForwarder",
            "Get-AzureStackLog",
            "Get-AzureStackStampInformation",
            "Get-AzureStackSupportConfiguration",
            "Get-CloudAdminPasswordRecoveryToken",
            "Get-CloudAdminUserList",
            "Get-CloudAdminUserSshKey",
            "Get-ClusterLog",
            "Get-SupportSessionInfo",
            "Get-SupportSessionToken",
            "Get-SyslogClient",
            "Get-SyslogServer",
            "Get-TLSPolicy",
            "Get-ThirdPartyNotices",
            "Invoke-AzureStackOnDemandLog",
            "New-CloudAdminUser",
            "Register-CustomDnsServer",
            "Remove-CloudAdminUser",
            "Remove-CloudAdminUserSshKey",
            "Set-AzSDnsServerSettings",
            "Set-AzSLegalNotice",
            "Set-AzsDnsForwarder",
            "Set-BmcCredential",
            "Set-CloudAdminUserPassword",
            "Set-SyslogClient",
            "Set-SyslogServer",
            "Set-TLSPolicy",
            "Start-AzureStack",
            "Start-SecretRotation",
            "Stop-AzureStack",
            "Test-AzureStack",
            "Unlock-SupportSession",
        ];

        CommandRun run = CommandRun.Of(_runspace, shell => shell.AddCommand("Get-Command").AddParameter("Module", "PepEndpoint"));

        Assert.Null(run.Error);
        Assert.Equal(expected.Order(StringComparer.Ordinal), run.Output.Select(c => c.Properties["Name"].Value.ToString()!).Order(StringComparer.Ordinal));
    }

    /// <summary>Fail closed: only a host the gateway started has a session (user, instance, transcript folder) to run for.</summary>
    [Theory]
    [InlineData("Get-AzureStackStampInformation")]
    [InlineData("Get-CloudAdminUserList")]
    [InlineData("Get-SupportSessionInfo")]
    public void EndpointCmdlet_InAProcessTheGatewayDidNotStart_RefusesToRun(string command)
    {
        CommandRun run = CommandRun.Of(_runspace, shell => shell.AddCommand(command));

        Assert.Empty(run.Output);
        Assert.NotNull(run.Error);
        Assert.Contains("was not started by the privileged endpoint gateway", run.Error.Exception.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _runspace.Dispose();
}
