using Microsoft.Extensions.Logging;
using Pep.Gateway.Syslog;

namespace Pep.Gateway.Tests.Syslog;

public sealed class SyslogEventCatalogueTests
{
    [Theory]
    [InlineData(1100, "LoginSucceeded", 5)]
    [InlineData(1101, "LoginRefused", 7)]
    [InlineData(1110, "SourceBlocked", 8)]
    [InlineData(1200, "SessionStarted", 5)]
    [InlineData(1610, "ElevationStarted", 10)]
    [InlineData(1612, "ElevationEnded", 5)]
    [InlineData(1320, "ChainHead", 5)]
    [InlineData(1940, "PasswordRecoveryRequested", 8)]
    [InlineData(1941, "PasswordRecoveryCompleted", 10)]
    [InlineData(1942, "PasswordRecoveryRefused", 8)]
    [InlineData(1944, "SupportTokenRequested", 8)]
    public void ASecurityEvent_IsForwardedUnderItsOwnName_WithoutVerbose(int id, string name, int severity)
    {
        Assert.True(SyslogEventCatalogue.TrySelect(new EventId(id, name), LogLevel.Information, null, verbose: false, out string cefName, out int cefSeverity));
        Assert.Equal((name, severity), (cefName, cefSeverity));
    }

    [Theory]
    [InlineData("New-CloudAdminUser 'ops'", "New-CloudAdminUser", 10)]
    [InlineData("Start-SecretRotation -Internal", "Start-SecretRotation", 10)]
    [InlineData("Set-SyslogServer 'siem' 514", "Set-SyslogServer", 8)]
    public void AChangeMadeThroughTheBroker_IsForwardedUnderItsCmdlet(string request, string name, int severity)
    {
        Assert.True(SyslogEventCatalogue.TrySelect(new EventId(1411, "BrokerOutcome"), LogLevel.Information, request, verbose: false, out string cefName, out int cefSeverity));
        Assert.Equal((name, severity), (cefName, cefSeverity));
    }

    [Theory]
    [InlineData("Get-CloudAdminUserList")]
    [InlineData("Remove-CloudAdminUser 'ops' (check only)")]
    [InlineData("Start-SecretRotation -Internal (plan only)")]
    public void AReadOrACheckThroughTheBroker_IsNotASecurityEvent(string request)
    {
        Assert.False(SyslogEventCatalogue.TrySelect(new EventId(1411, "BrokerOutcome"), LogLevel.Information, request, verbose: false, out _, out _));
    }

    [Fact]
    public void AnOrdinaryEvent_IsForwardedOnlyWhenVerbose()
    {
        var ready = new EventId(1211, "HostReady");

        Assert.False(SyslogEventCatalogue.TrySelect(ready, LogLevel.Information, null, verbose: false, out _, out _));
        Assert.True(SyslogEventCatalogue.TrySelect(ready, LogLevel.Information, null, verbose: true, out string name, out _));
        Assert.Equal("HostReady", name);
    }

    [Fact]
    public void TheForwardersOwnEvents_AndDebugEvents_AreNeverForwarded()
    {
        Assert.False(SyslogEventCatalogue.TrySelect(new EventId(1900, "SyslogUndeliverable"), LogLevel.Warning, null, verbose: true, out _, out _));
        Assert.False(SyslogEventCatalogue.TrySelect(new EventId(1204, "HostDiagnostic"), LogLevel.Debug, null, verbose: true, out _, out _));
    }
}
