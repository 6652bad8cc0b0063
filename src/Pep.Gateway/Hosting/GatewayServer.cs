using System.Globalization;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Provisioning;
using Pep.Core.Security;
using Pep.Core.Ssh;
using Pep.Core.Stamp.Actions;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Core.Support;
using Pep.Gateway.Actions;
using Pep.Gateway.Admission;
using Pep.Gateway.Broker;
using Pep.Gateway.Containment;
using Pep.Gateway.Login;
using Pep.Gateway.SessionHosts;
using Pep.Gateway.SshDoor;
using Pep.Gateway.Stamp;
using Pep.Gateway.Syslog;
using Pep.Gateway.Transcripts;

namespace Pep.Gateway.Hosting;

/// <summary>
/// Builds the web application of one endpoint instance: Kestrel on HTTPS only, the session endpoint and a
/// health endpoint for load balancers. The gateway's one composition root: every part of a session's way
/// (login, admission, session hosts, relay, transcripts) is made here and handed to what uses it.
/// </summary>
public static class GatewayServer
{
    public static WebApplication Build(GatewayOptions options)
    {
        DeploymentConfig config = DeploymentConfig.Load(options.Layout.ConfigFile);
        InstanceConfig instance = config.Instance(options.InstanceName);
        DeploymentInitializer.PrepareInstance(options.Layout, instance.Name);
        string pwsh = PowerShellLocator.Locate(config.PowerShellPath);
        if (!File.Exists(options.EndpointModuleManifest))
        {
            throw new DeploymentException($"The endpoint module was not found at '{options.EndpointModuleManifest}'.");
        }

        TimeSpan tlsHandshake = TimeSpan.FromSeconds(config.Limits.TlsHandshakeTimeoutSeconds);
        TimeSpan loginRequest = TimeSpan.FromSeconds(config.Limits.LoginRequestTimeoutSeconds);
        var guard = new PreAuthGuard(config.Limits, options.Time);

        // The host's defaults read appsettings.json from the content root (the working directory) and watch that
        // folder, recursively, for changes. The gateway has no such file, and the watch cost it an inotify event for
        // every file written below its working directory (measured: with pep serve started beside its state
        // directory, every transcript line; from /, the whole file system would be watched). Neither, then.
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        var certificate = new ReloadingCertificate(options.Layout.TlsCertificatePfx);
        // Opened before Kestrel is configured: every handshake reads the shared TLS policy (Set-TLSPolicy) it watches.
        SharedState shared = SharedState.Open(options.Layout, config);
        var syslog = new SyslogForwarder(options.Layout, instance.Name, shared.Settings, options.Time);
        var tlsPolicy = new TlsPolicyWatch(shared.Settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddGatewayConsole();
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The gateway's events reach the syslog forwarder whatever the console's level; it picks its own.
        builder.Logging.AddProvider(new SyslogLoggerProvider(syslog));
        builder.Logging.AddFilter<SyslogLoggerProvider>("Pep.Gateway", LogLevel.Information);
        builder.Services.AddSingleton(options.Time);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = loginRequest;
            kestrel.Limits.KeepAliveTimeout = loginRequest;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            kestrel.Limits.MaxRequestBodySize = 4096;
            kestrel.Limits.MaxConcurrentUpgradedConnections = config.Limits.MaxSessionsPerInstance;
            // No total: Kestrel's would let connections that never log in take every slot (140 idle ones once
            // did). The gate below bounds them apart from sessions, per source and in all.
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Listen(ListenAddress(instance.Address), options.PortOverride ?? instance.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => connection => guard.Gate.HandleAsync(connection, next));
                // Start-SecretRotation -Internal replaces the file and Set-TLSPolicy the shared policy: new connections
                // get the new certificate and the new versions at once, connections already open keep theirs.
                listen.UseHttps(new TlsHandshakeCallbackOptions
                {
                    HandshakeTimeout = tlsHandshake,
                    OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = certificate.CurrentContext,
                        EnabledSslProtocols = tlsPolicy.Protocols,
                    }),
                });
            });
        });

        WebApplication app = builder.Build();
        ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pep.Gateway");
        certificate.Logger = logger;
        tlsPolicy.Logger = logger;
        tlsPolicy.Start(options.Time);
        guard.Refusals.Logger = logger;
        var sealer = new TranscriptSealer(options.Layout, instance.Name, options.Time, logger, config.Transcripts.GatewayRecord);
        sealer.SealAbandoned();
        syslog.Logger = logger;
        syslog.Start();
        IAccountStore store = shared.Accounts;
        SigningKey stampPublicKey = SigningKey.Load(options.Layout.StampPublicKey);
        var floor = new AccountVersionFloor(options.Layout.AccountVersionFloor(instance.Name));
        // Re-login tickets live in this process only: a restart forgets them, other instances never know them.
        var reloginTickets = new ReloginTickets(config.Limits.ReloginTicketLifetime(), options.Time);
        var accounts = new AccountService(store, stampPublicKey, config.Stamp.DomainNetBiosName, config.Limits.AccountBudget(), floor, options.Time, reloginTickets);
        // At start and then every minute the instance reads every record, so that the versions written through
        // other instances are known here soon, not only at the next login of each account.
        ObserveStore(accounts, logger);
        ITimer observer = options.Time.CreateTimer(_ => ObserveStore(accounts, logger), null, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        var admission = new LoginAdmission(accounts, guard.Verifications, config.Limits);
        SessionAccountSlots? slots = HostSeparation.TryOpen(config.Support.ElevatedGroups, out string? noSeparation);
        if (slots is null)
        {
            GatewayLog.SeparationOff(logger, noSeparation!, PosixOwnership.EffectiveUserId);
        }
        else
        {
            GatewayLog.SeparationOn(logger, slots.Accounts.SessionSlots[0].Name, slots.Accounts.SessionSlots[^1].Name, PosixOwnership.EffectiveUserId);
        }

        var actionStore = new ActionStore(shared.Settings);
        var actionRunner = new ActionRunner(actionStore, instance.Name, options.Time, logger, app.Lifetime.ApplicationStopping);
        InterruptLeftoverActions(actionRunner, logger);
        var stampLogs = new StampLogRequests(options.Layout, options.Time);
        var accountRequests = new AccountRequests(options.Layout, store, floor, options.Time);
        var supportRequests = new SupportAuthorityRequests(options.Layout, instance.Name, accountRequests, new PasswordRecovery(options.Time, config.Support.RequestLifetime), logger);
        var broker = new BrokerDispatcher(accountRequests, new SettingsRequests(options.Layout, shared.Settings, tlsPolicy),
            new SyslogRequests(options.Layout, shared.Settings, syslog), new BmcRequests(options.Layout),
            new CloseRequests(options.Layout, options.Time, sealer.CatchUpRecord), new RotationRequests(options.Layout, options.Time),
            new StampLifecycleRequests(options.Layout, options.Time), new StampHealthRequests(options.Layout, options.Time), stampLogs,
            new OnDemandLogRequests(options.Layout, stampLogs, options.Time), actionRunner, new ActionRequests(actionRunner, actionStore), supportRequests);
        SessionCgroups? cgroups = OpenContainment(options, logger);
        var launcher = new SessionHostLauncher(
            pwsh, options.Layout, options.InstanceName, options.EndpointModuleManifest, new SessionBrokers(options.Layout, instance.Name, broker, logger), cgroups, slots);
        launcher.DeleteLeftoverConfigurations();
        var pool = new SessionHostPool(
            launcher, Math.Min(config.Limits.WarmSessionHosts, config.Limits.MaxSessionsPerInstance), new HostCultures(CultureInfo.GetCultureInfo(WireProtocol.DefaultCulture), CultureInfo.GetCultureInfo(WireProtocol.DefaultCulture)),
            config.Limits.WarmHostMinimumAvailableMiB * 1024L * 1024L, AvailableMemory.Read, logger);
        var starter = new SessionStarter(options, config.Limits, admission, launcher, pool, sealer, config.Support.MaxElevation,
            () => LegalNotice.Load(shared.Settings, options.Layout.LegalNotice), logger, app.Lifetime.ApplicationStopping);
        var sessions = new SessionEndpoint(options, accounts.Domain, guard, admission, starter, reloginTickets.Lifetime, logger);

        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(WireProtocol.SessionPath, sessions.HandleAsync);
        var health = new HealthEndpoint(options, config.Health, starter, sealer, shared, contained: cgroups is not null);
        SshFrontDoor? sshDoor = CreateSshDoor(options, instance, config.Limits, accounts, admission, guard, starter, logger);
        if (sshDoor is not null)
        {
            health.SshDoorState = () => sshDoor.State;
        }

        app.MapGet(HealthEndpoint.Path, health.HandleAsync);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            int port = options.PortOverride ?? instance.Port;
            GatewayLog.Listening(logger, instance.Name, instance.Address, port);
            if (sshDoor is not null)
            {
                // Blocking is fine: the host waits for its started callbacks, and pep serve says it is ready only after.
                sshDoor.StartAsync(instance.Name).GetAwaiter().GetResult();
                options.Doors.SshPort = sshDoor.ListeningPort;
            }
        });
        app.Lifetime.ApplicationStopping.Register(() => sshDoor?.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // Blocking is fine here: the application has stopped and waits for this callback anyway.
            pool.DisposeAsync().AsTask().GetAwaiter().GetResult();
            cgroups?.RemoveFolder();
            slots?.Dispose();
            admission.Dispose();
            health.Dispose();
            observer.Dispose();
            syslog.DisposeAsync().AsTask().GetAwaiter().GetResult();
            tlsPolicy.Dispose();
            shared.Dispose();
            guard.Dispose();
            stampPublicKey.Dispose();
            certificate.Dispose();
        });
        return app;
    }

    /// <summary>The instance's SSH door, made of the same accounts, limits and session starter as its HTTPS door; null when it has none.</summary>
    private static SshFrontDoor? CreateSshDoor(
        GatewayOptions options, InstanceConfig instance, GatewayLimits limits, AccountService accounts, LoginAdmission admission, PreAuthGuard guard,
        SessionStarter starter, ILogger logger)
    {
        if (instance.SshPort is not { } configuredPort || options.SshDoorHelper is not { } helper)
        {
            return null;
        }

        var tickets = new SshLoginTickets(options.Time);
        var auth = new SshAuthServer(accounts, admission, guard, tickets, options.Time, logger);
        return new SshFrontDoor(new SshDoorLayout(options.Layout, instance.Name), instance.Address, options.SshPortOverride ?? configuredPort, helper,
            options.SshDoorKeeperPid, limits, accounts, auth, starter, tickets, options.Time, logger);
    }

    /// <summary>
    /// A cgroup per session where the machine has a writable cgroup v2 hierarchy; otherwise the instance runs without
    /// containment and says so once here (and on /health). Hosts a killed predecessor left running are ended now.
    /// </summary>
    private static SessionCgroups? OpenContainment(GatewayOptions options, ILogger logger)
    {
        SessionCgroups? cgroups = SessionCgroups.TryOpen(options.Layout.Root, options.InstanceName, out string problem);
        if (cgroups is null)
        {
            GatewayLog.ContainmentOff(logger, problem);
            return null;
        }

        int leftovers = cgroups.KillLeftovers();
        GatewayLog.ContainmentOn(logger, cgroups.Folder, leftovers);
        return cgroups;
    }

    /// <summary>The actions a previous run of this instance left Running are Interrupted: nothing of this run holds them.</summary>
    private static void InterruptLeftoverActions(ActionRunner runner, ILogger logger)
    {
        try
        {
            runner.InterruptLeftovers();
        }
        catch (StoreUnavailableException e)
        {
            GatewayLog.LeftoverActionsUnread(logger, e.Message);
        }
    }

    /// <summary>Raises the instance's version floor to every trusted record; without the store, logins are refused anyway and the next round catches up.</summary>
    private static void ObserveStore(AccountService accounts, ILogger logger)
    {
        try
        {
            accounts.ObserveStore();
        }
        catch (Exception e) when (e is StoreUnavailableException or InvalidDataException)
        {
            GatewayLog.AccountVersionsUnread(logger, e.Message);
        }
    }

    private static IPAddress ListenAddress(string address)
    {
        if (IPAddress.TryParse(address, out IPAddress? ip))
        {
            return ip;
        }

        if (string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return Dns.GetHostAddresses(address).FirstOrDefault()
               ?? throw new DeploymentException($"The instance address '{address}' does not resolve.");
    }
}
