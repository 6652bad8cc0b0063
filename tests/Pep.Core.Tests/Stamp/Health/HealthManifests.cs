using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Stamp.Health;

/// <summary>Small stamp manifests for the health selection and summary tests.</summary>
internal static class HealthManifests
{
    public static HealthTest Test(string category, string name) => new() { Category = category, Name = name, Kind = HealthTestKind.Tcp, Host = "127.0.0.1", Port = 1 };

    public static StampManifest Of(params StampRole[] roles) => new() { Name = "azs", Region = "local", Domain = "example", Roles = roles };
}
