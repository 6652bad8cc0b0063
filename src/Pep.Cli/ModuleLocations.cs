namespace Pep.Cli;

/// <summary>Where the build puts the two PowerShell modules: beside the pep binary.</summary>
internal static class ModuleLocations
{
    public static string EndpointModuleManifest => Path.Combine(AppContext.BaseDirectory, "modules", "PepEndpoint", "PepEndpoint.psd1");

    public static string ClientModuleManifest => Path.Combine(AppContext.BaseDirectory, "modules", "PrivilegedEndpoint", "PrivilegedEndpoint.psd1");
}
