namespace Pep.Cli;

/// <summary>Where the build puts the two PowerShell modules: beside the pep binary.</summary>
internal static class ModuleLocations
{
    public static string EndpointModuleManifest => Path.Combine(AppContext.BaseDirectory, "modules", "PepEndpoint", "PepEndpoint.psd1");

    /// <summary>The program sshd starts for the SSH front door.</summary>
    public static string SshDoorHelper => Path.Combine(AppContext.BaseDirectory, "ssh-door", "pep-ssh-door");

    public static string ClientModuleManifest => Path.Combine(AppContext.BaseDirectory, "modules", "PrivilegedEndpoint", "PrivilegedEndpoint.psd1");
}
