extern alias ClientModule;

using System.Reflection;
using System.Runtime.Versioning;
using Pep.Core.Platform;
using ClientModule::Pep.ClientModule.Transport;

namespace Pep.Core.Tests.Client;

/// <summary>
/// The operator's module loads on Windows and macOS too (issue 13): only the server's assemblies say they are
/// Linux-only, so the platform analyzer flags any Linux-only call the client would make.
/// </summary>
public sealed class ClientAssemblyPlatformTests
{
    [Fact]
    public void ClientModule_IsNotMarkedLinuxOnly()
        => Assert.Empty(typeof(EndpointAddress).Assembly.GetCustomAttributes<SupportedOSPlatformAttribute>());

    [Fact]
    public void ServerCode_IsMarkedLinuxOnly()
        => Assert.Equal("linux", Assert.Single(typeof(PowerShellLocator).Assembly.GetCustomAttributes<SupportedOSPlatformAttribute>()).PlatformName);
}
