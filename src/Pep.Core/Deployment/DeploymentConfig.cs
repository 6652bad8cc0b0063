using System.Text.Json;
using Pep.Core.Platform;

namespace Pep.Core.Deployment;

/// <summary>
/// A deployment's settings, kept in <c>deployment.json</c> in the state directory. Nothing secret lives
/// here: keys, the TLS certificate and the account store are files of their own with tighter modes.
/// </summary>
public sealed record DeploymentConfig
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;

    public required StampIdentity Stamp { get; init; }

    public required IReadOnlyList<InstanceConfig> Instances { get; init; }

    public GatewayLimits Limits { get; init; } = new();

    public TranscriptSettings Transcripts { get; init; } = new();

    /// <summary>Where the state instances share lives; absent means the embedded store (sqlite).</summary>
    public StoreSettings? Store { get; init; }

    /// <summary>Break the glass: request lifetime and the longest elevation.</summary>
    public SupportSettings Support { get; init; } = new();

    /// <summary>Bounds on the unauthenticated health endpoint.</summary>
    public HealthSettings Health { get; init; } = new();

    /// <summary>
    /// The user name of the CloudAdmin account <c>pep init</c> made: the account Get-CloudAdminPasswordRecoveryToken recovers
    /// when no -UserName is given. Null in deployments made before it was recorded.
    /// </summary>
    public string? InitialCloudAdmin { get; init; }

    /// <summary>SHA-256 thumbprint of the endpoint's TLS certificate, printed for operators to pin.</summary>
    public string? TlsCertificateThumbprint { get; init; }

    /// <summary>Path of the pwsh that hosts sessions; empty means the PowerShell tool pinned by this repository.</summary>
    public string? PowerShellPath { get; init; }

    /// <summary>
    /// Folders under which cmdlets may write what an operator asks for (Get-AzureStackLog -OutputPath,
    /// Get-ClusterLog -Destination). Empty: no local output at all.
    /// </summary>
    public IReadOnlyList<string> AllowedOutputRoots { get; init; } = [];

    public InstanceConfig Instance(string name)
        => Instances.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new DeploymentException($"This deployment has no instance '{name}'. It has: {string.Join(", ", Instances.Select(i => i.Name))}.");

    public static DeploymentConfig Load(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            DeploymentConfig config = JsonSerializer.Deserialize<DeploymentConfig>(stream, JsonFiles.Options)
                ?? throw new DeploymentException($"'{path}' is empty.");
            if (config.Schema != CurrentSchema)
            {
                throw new DeploymentException($"'{path}' has schema {config.Schema}; this version reads schema {CurrentSchema}.");
            }

            return config;
        }
        catch (JsonException e)
        {
            throw new DeploymentException($"'{path}' is not a valid deployment file: {e.Message}", e);
        }
        catch (FileNotFoundException e)
        {
            throw new DeploymentException($"No deployment at '{Path.GetDirectoryName(path)}': '{Path.GetFileName(path)}' is missing. Run 'pep init' first.", e);
        }
    }

    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonFiles.Options));
    }
}

/// <summary>Who the stamp is: the fields Get-AzureStackStampInformation reports.</summary>
public sealed record StampIdentity
{
    public required string Name { get; init; }
    public required string RegionName { get; init; }
    public required string DomainNetBiosName { get; init; }
    public required string DomainFqdn { get; init; }
    public required string ExternalDomainFqdn { get; init; }
    public required Guid CloudId { get; init; }
    public required Guid DeploymentId { get; init; }
    public string StampVersion { get; init; } = "1.0.0";
    public string Timezone { get; init; } = "UTC";
}

/// <summary>One endpoint instance (ERCS01..03): where it listens.</summary>
public sealed record InstanceConfig
{
    public required string Name { get; init; }
    public required string Address { get; init; }
    public required int Port { get; init; }

    /// <summary>The port of the instance's SSH front door (sshd, on the same address); null: no SSH door.</summary>
    public int? SshPort { get; init; }
}

/// <summary>Bounds that keep a slow, broken or hostile client from holding the gateway's resources.</summary>
public sealed record GatewayLimits
{
    /// <summary>Largest PSRP line accepted from a client (PSRP fragments are 32 KiB before base64).</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>A session with no traffic in either direction for this long is ended.</summary>
    public int IdleTimeoutSeconds { get; init; } = 3600;

    /// <summary>Time a session has, once its login succeeded, to send its first PSRP message.</summary>
    public int HandshakeTimeoutSeconds { get; init; } = 15;

    /// <summary>Time a new connection has to finish its TLS handshake.</summary>
    public int TlsHandshakeTimeoutSeconds { get; init; } = 5;

    /// <summary>Time a connection has, after TLS, to send its whole login request (the WebSocket upgrade with its credential).</summary>
    public int LoginRequestTimeoutSeconds { get; init; } = 5;

    /// <summary>
    /// Connections not yet logged in, from all sources together. Sessions have their own slots
    /// (<see cref="MaxSessionsPerInstance"/>) that these never take.
    /// </summary>
    public int MaxPreAuthConnections { get; init; } = 512;

    /// <summary>Connections not yet logged in from one source address (an IPv6 /64 counts as one source).</summary>
    public int MaxPreAuthConnectionsPerSource { get; init; } = 16;

    /// <summary>New connections one source may open at once before <see cref="ConnectionsPerSourcePerMinute"/> paces it.</summary>
    public int ConnectionBurstPerSource { get; init; } = 64;

    /// <summary>New connections one source may open per minute, once its burst is spent.</summary>
    public int ConnectionsPerSourcePerMinute { get; init; } = 120;

    /// <summary>Failed logins from one source before each further attempt from it waits <see cref="LoginSlowdownStepSeconds"/> more.</summary>
    public int LoginFailuresBeforeSlowdown { get; init; } = 3;

    public double LoginSlowdownStepSeconds { get; init; } = 1;

    /// <summary>Failed logins from one source after which it is refused without checking, for <see cref="SourceBlockMinutes"/>.</summary>
    public int LoginFailuresBeforeBlock { get; init; } = 10;

    /// <summary>How long a blocked source stays blocked; a source's failures are forgotten after as long without one.</summary>
    public double SourceBlockMinutes { get; init; } = 15;

    /// <summary>Failed logins counted against one account, from every source and instance, per <see cref="AccountFailureWindowDays"/> (NIST SP 800-63B: at most 100).</summary>
    public int AccountFailuresPerWindow { get; init; } = 100;

    public double AccountFailureWindowDays { get; init; } = 30;

    /// <summary>The account bound these settings give (a method, so that it is not written into deployment.json).</summary>
    public Accounts.AccountAttemptBudget AccountBudget() => new(AccountFailuresPerWindow, TimeSpan.FromDays(AccountFailureWindowDays));

    /// <summary>
    /// How long a re-login ticket may be used after the login that got it (0 to 60 minutes; 0: no tickets, every login runs
    /// the password verifier). README, Security, "Re-login tickets".
    /// </summary>
    public int ReloginTicketMinutes { get; init; } = 10;

    /// <summary>The tickets' lifetime these settings give (a method, so that it is not written into deployment.json).</summary>
    public TimeSpan ReloginTicketLifetime() => TimeSpan.FromMinutes(Math.Clamp(ReloginTicketMinutes, 0, 60));

    /// <summary>Refusals before login are logged as one line per source and interval, with their count.</summary>
    public int RefusalLogIntervalSeconds { get; init; } = 10;

    public int MaxSessionsPerInstance { get; init; } = 64;

    /// <summary>Logins verified at once; more wait, and past the queue they are told the endpoint is busy.</summary>
    public int MaxConcurrentLogins { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Session hosts started at once for logins no warm host took; more wait for one to be ready. Starting
    /// PowerShell is CPU-bound: fifty at once on two cores all finish late, and the clients' time runs out.
    /// </summary>
    public int MaxConcurrentHostStarts { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// Session hosts each instance keeps started and warmed up ahead of logins (0: none, every login starts
    /// its own). Each costs the memory of an idle session.
    /// </summary>
    public int WarmSessionHosts { get; init; } = 1;

    /// <summary>The pool starts no more warm hosts while the machine has less memory available than this.</summary>
    public int WarmHostMinimumAvailableMiB { get; init; } = 1024;
}

public sealed class DeploymentException : Exception
{
    public DeploymentException(string message) : base(message) { }

    public DeploymentException(string message, Exception inner) : base(message, inner) { }
}
