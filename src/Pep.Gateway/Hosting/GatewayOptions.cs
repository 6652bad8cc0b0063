using Microsoft.Extensions.Logging;
using Pep.Core.Deployment;

namespace Pep.Gateway.Hosting;

/// <summary>What one gateway process serves: one instance of one deployment.</summary>
public sealed record GatewayOptions
{
    public required StateLayout Layout { get; init; }

    public required string InstanceName { get; init; }

    /// <summary>The endpoint module's manifest (PepEndpoint.psd1), imported into every session.</summary>
    public required string EndpointModuleManifest { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Least severe gateway event written to the console.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Information;

    /// <summary>Listen on this port instead of the configured one (0 picks a free port; tests use it).</summary>
    public int? PortOverride { get; init; }

    /// <summary>The SSH door's sshd listens on this port instead of the configured one (0: a free port); only for an instance with an SSH door.</summary>
    public int? SshPortOverride { get; init; }

    /// <summary>The program sshd starts for the SSH door (pep-ssh-door); null: the instance runs no SSH door.</summary>
    public string? SshDoorHelper { get; init; }

    /// <summary>
    /// The SSH door's keeper that <c>pep serve</c> started as root before it dropped (<see cref="SshDoor.SshDoorKeeper"/>);
    /// null: the gateway starts the door's root part itself, which only a gateway running as root can.
    /// </summary>
    public int? SshDoorKeeperPid { get; init; }

    /// <summary>What the gateway tells its host once started: the SSH door's port, when it runs.</summary>
    public FrontDoors Doors { get; } = new();
}
