using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.Gateway.Stamp;

/// <summary>What the stamp requests need before they act: the manifest and the deployment's settings, read fresh, or the failure that says why not.</summary>
internal static class StampFailures
{
    public static BrokerFailure? TryLoadManifest(StateLayout layout, out StampManifest manifest)
    {
        try
        {
            manifest = StampManifest.Load(layout.StampManifest);
            return null;
        }
        catch (StampManifestException e)
        {
            manifest = null!;
            return new BrokerFailure("StampManifestUnreadable", BrokerErrorCategory.ReadError, e.Message, layout.StampManifest);
        }
    }

    public static BrokerFailure? TryLoadConfig(StateLayout layout, out DeploymentConfig config)
    {
        try
        {
            config = DeploymentConfig.Load(layout.ConfigFile);
            return null;
        }
        catch (DeploymentException e)
        {
            config = null!;
            return new BrokerFailure("StampConfigurationUnreadable", BrokerErrorCategory.ReadError, e.Message, layout.ConfigFile);
        }
    }

    public static BrokerFailure UnknownRole(string name, StampManifest manifest)
        => new("UnknownRole", BrokerErrorCategory.InvalidArgument, $"This stamp has no role '{name}'. Roles: {string.Join(", ", manifest.Roles.Select(r => r.Name))}.", name);

    public static BrokerFailure UnknownNode(string name, StampManifest manifest)
        => new("UnknownNode", BrokerErrorCategory.InvalidArgument, $"This stamp has no node '{name}'. Nodes: {string.Join(", ", manifest.Nodes.Select(n => n.Name))}.", name);
}
