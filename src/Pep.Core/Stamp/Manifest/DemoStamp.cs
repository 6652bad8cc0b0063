using System.Globalization;
using Pep.Core.Platform;

namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// The demo stamp: four roles that are real small services on loopback (<c>pep role-service</c>): they
/// listen, log every second and answer health probes, so Stop-AzureStack really stops them and
/// Test-AzureStack then really fails. Everything lives under one folder.
/// </summary>
public static class DemoStamp
{
    public const string NodeA = "AZS-NODE01";
    public const string NodeB = "AZS-NODE02";

    /// <param name="name">The stamp's name.</param>
    /// <param name="region">Its region.</param>
    /// <param name="domain">Its external DNS domain.</param>
    /// <param name="folder">Where the roles' logs, pid files and the DNS forwarders file go.</param>
    /// <param name="pepArgv">How to run pep (absolute paths): the roles' commands are pep role-service verbs.</param>
    /// <param name="freePort">Gives a free loopback port for each role.</param>
    public static StampManifest Build(string name, string region, string domain, string folder, IReadOnlyList<string> pepArgv, Func<int> freePort)
    {
        string dnsConfig = Path.Combine(folder, "dns", "forwarders.conf");
        string dnsServerConfig = Path.Combine(folder, "dns", "server.conf");
        Directory.CreateDirectory(Path.Combine(folder, "dns"));
        Directory.CreateDirectory(Path.Combine(folder, "run"));
        Directory.CreateDirectory(Path.Combine(folder, "logs"));
        string bmc = Path.Combine(folder, "bmc");
        PrivateDirectory.Create(bmc);
        string certificates = Path.Combine(folder, "certs");
        PrivateDirectory.Create(certificates);
        if (!File.Exists(dnsConfig))
        {
            File.WriteAllLines(dnsConfig, ["# DNS forwarders, written by Set-AzsDnsForwarder", "192.0.2.53"]);
        }

        StampRole Role(string role, int order, string node, string[] config, Func<int, string, List<HealthTest>> tests)
        {
            int port = freePort();
            string logs = Path.Combine(folder, "logs", role);
            string pid = Path.Combine(folder, "run", role + ".pid");
            List<string> Verb(string verb)
            {
                var argv = new List<string>(pepArgv)
                {
                    "role-service", verb, "--name", role, "--port", port.ToString(CultureInfo.InvariantCulture), "--log-dir", logs, "--pid-file", pid,
                };
                foreach (string file in config)
                {
                    argv.AddRange(["--config", file]);
                }

                return argv;
            }

            return new StampRole
            {
                Name = role,
                Description = $"Demo role service on 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
                Order = order,
                Logs = [new LogSource { Path = logs, Pattern = "*.log", Node = node }],
                HealthTests = tests(port, Path.Combine(logs, role + ".log")),
                Start = new RoleCommand { Argv = Verb("start"), TimeoutSeconds = 30 },
                Stop = new RoleCommand { Argv = Verb("stop"), TimeoutSeconds = 30 },
                Status = new RoleCommand { Argv = Verb("status"), TimeoutSeconds = 15 },
                Reload = config.Length == 0 ? null : new RoleCommand { Argv = Verb("reload"), TimeoutSeconds = 15 },
                OnDemandLog = new RoleCommand { Argv = Verb("dump-logs"), TimeoutSeconds = 15 },
            };
        }

        static HealthTest Http(string category, string role, int port) => new()
        {
            Category = category, Name = $"{role} answers /health", Kind = HealthTestKind.Http,
            Url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/health", ExpectBody = "healthy " + role, TimeoutSeconds = 5,
        };

        static HealthTest Fresh(string category, string role, string log) => new()
        {
            Category = category, Name = $"{role} log written in the last 30 s", Kind = HealthTestKind.FileFreshness, Path = log, MaxAgeSeconds = 30, TimeoutSeconds = 5,
        };

        // The DNS role reads its forwarders and its server settings (root hints, conditional forwarders) on reload.
        StampRole dns = Role("DNS", 10, NodeA, [dnsConfig, dnsServerConfig], (port, log) =>
        [
            Http("AzsNetworkInfra", "DNS", port),
            new HealthTest { Category = "AzsNetworkInfra", Name = "DNS accepts TCP", Kind = HealthTestKind.Tcp, Host = "127.0.0.1", Port = port, TimeoutSeconds = 5 },
            Fresh("AzsInfraFileValidation", "DNS", log),
        ]);
        StampRole storage = Role("Storage", 20, NodeA, [], (port, log) =>
        [
            Http("AzsStorageSvcsSummary", "Storage", port),
            new HealthTest { Category = "AzsInfraCapacity", Name = "Storage has 64 MB free", Kind = HealthTestKind.FreeDisk, Path = folder, MinFreeMegabytes = 64, TimeoutSeconds = 5 },
            Fresh("AzsInfraRoleSummary", "Storage", log),
        ]);
        StampRole compute = Role("Compute", 30, NodeB, [], (port, log) =>
        [
            new HealthTest { Category = "AzsHostingInfraSummary", Name = "Compute accepts TCP", Kind = HealthTestKind.Tcp, Host = "127.0.0.1", Port = port, TimeoutSeconds = 5 },
            Fresh("AzsInfraRoleSummary", "Compute", log),
        ]);
        // The portal serves the public portal certificate: its configuration is that certificate's PEM, re-read on reload.
        StampRole portal = Role("Portal", 40, NodeB, [Path.Combine(certificates, "portal.crt")], (port, log) =>
        [
            Http("AzsPortalAPISummary", "Portal", port),
            Fresh("AzsInfraRoleSummary", "Portal", log),
        ]);
        portal = portal with
        {
            HealthTests = [.. portal.HealthTests, new HealthTest
            {
                Category = "AzsInfraRoleSummary", Name = "Portal status command", Kind = HealthTestKind.Command, Argv = portal.Status!.Argv, TimeoutSeconds = 15,
            }],
        };

        return new StampManifest
        {
            Name = name,
            Region = region,
            Domain = domain,
            ExternalEndpoints =
            [
                new ExternalEndpoint { Name = "adminportal", Url = $"https://adminportal.{region}.{domain}", Audience = "Admin" },
                new ExternalEndpoint { Name = "portal", Url = $"https://portal.{region}.{domain}", Audience = "Tenant" },
            ],
            Nodes =
            [
                new StampNode
                {
                    Name = NodeA, Address = "127.0.0.1", Logs = [new LogSource { Path = Path.Combine(folder, "logs", "DNS"), Pattern = "*.log", Node = NodeA }],
                    Bmc = DemoBmc(pepArgv, bmc, NodeA),
                },
                new StampNode
                {
                    Name = NodeB, Address = "127.0.0.1", Logs = [new LogSource { Path = Path.Combine(folder, "logs", "Compute"), Pattern = "*.log", Node = NodeB }],
                    Bmc = DemoBmc(pepArgv, bmc, NodeB),
                },
            ],
            Roles = [dns, storage, compute, portal],
            Dns = new DnsSettings { ForwardersFile = dnsConfig, Role = "DNS", ServerSettingsFile = dnsServerConfig },
            Certificates =
            [
                new StampCertificate
                {
                    Name = "adminportal", Kind = CertificateKind.External, SubjectNames = [$"adminportal.{region}.{domain}"],
                    Path = Path.Combine(certificates, "adminportal.pfx"), Role = "Portal",
                },
                new StampCertificate
                {
                    Name = "portal", Kind = CertificateKind.External, SubjectNames = [$"portal.{region}.{domain}"],
                    Path = Path.Combine(certificates, "portal.pfx"), Role = "Portal",
                },
                new StampCertificate
                {
                    Name = "portal-internal", Kind = CertificateKind.Internal, SubjectNames = [$"portal.{region}.internal"],
                    Path = Path.Combine(certificates, "portal-internal.pfx"), Role = "Portal",
                },
            ],
        };
    }

    /// <summary>
    /// A demo node's BMC commands (<c>pep demo-bmc</c>): the node's "BMC" is the file <c>bmc/&lt;node&gt;.bmc</c> and the
    /// stamp's stored copy <c>bmc/&lt;node&gt;.stored</c>, each holding the user and the password's SHA-256.
    /// </summary>
    public static BmcSettings DemoBmc(IReadOnlyList<string> pepArgv, string folder, string node)
    {
        ArgumentNullException.ThrowIfNull(pepArgv);
        List<string> argv = [.. pepArgv, "demo-bmc", "--bmc-file", Path.Combine(folder, node + ".bmc"), "--stored-file", Path.Combine(folder, node + ".stored")];
        return new BmcSettings
        {
            Update = new RoleCommand { Argv = argv, TimeoutSeconds = 30 },
            Store = new RoleCommand { Argv = [.. argv, "--store-only"], TimeoutSeconds = 30 },
        };
    }

    /// <summary>An empty stamp (no roles yet): what <c>pep init</c> writes unless given a manifest.</summary>
    public static StampManifest Empty(string name, string region, string domain) => new() { Name = name, Region = region, Domain = domain };
}
