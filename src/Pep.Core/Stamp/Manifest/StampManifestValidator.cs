using System.Text.RegularExpressions;

namespace Pep.Core.Stamp.Manifest;

/// <summary>
/// Refuses a manifest the endpoint should not act on: duplicate or odd names, relative paths, commands
/// that are not absolute argv arrays, health tests missing what their kind needs, unusable timeouts.
/// </summary>
public static partial class StampManifestValidator
{
    public static void Validate(StampManifest manifest, string source)
    {
        var problems = new List<string>();
        if (manifest.Schema != StampManifest.CurrentSchema)
        {
            problems.Add($"schema {manifest.Schema} is not {StampManifest.CurrentSchema}");
        }

        CheckNames(problems, "node", manifest.Nodes.Select(n => n.Name));
        CheckNames(problems, "role", manifest.Roles.Select(r => r.Name));
        foreach (StampNode node in manifest.Nodes)
        {
            CheckLogs(problems, $"node {node.Name}", node.Logs, manifest);
            if (node.Bmc is { } bmc)
            {
                CheckCommand(problems, $"node {node.Name} bmc update", bmc.Update ?? new RoleCommand { Argv = [] });
                CheckCommand(problems, $"node {node.Name} bmc store", bmc.Store);
            }
        }

        foreach (StampRole role in manifest.Roles)
        {
            string where = $"role {role.Name}";
            CheckLogs(problems, where, role.Logs, manifest);
            CheckCommand(problems, where + " stop", role.Stop);
            CheckCommand(problems, where + " start", role.Start);
            CheckCommand(problems, where + " status", role.Status);
            CheckCommand(problems, where + " reload", role.Reload);
            CheckCommand(problems, where + " on-demand log", role.OnDemandLog);
            foreach (HealthTest test in role.HealthTests)
            {
                CheckTest(problems, $"{where} test '{test.Name}'", test);
            }
        }

        if (manifest.Dns is { } dns)
        {
            if (!Path.IsPathFullyQualified(dns.ForwardersFile))
            {
                problems.Add("dns forwardersFile must be an absolute path");
            }

            if (manifest.FindRole(dns.Role) is not { Reload: not null })
            {
                problems.Add($"dns role '{dns.Role}' must be a role with a reload command");
            }

            if (dns.ServerSettingsFile is { } serverFile && !Path.IsPathFullyQualified(serverFile))
            {
                problems.Add("dns serverSettingsFile must be an absolute path");
            }
        }

        CheckCertificates(problems, manifest);
        if (problems.Count > 0)
        {
            throw new StampManifestException($"'{source}' is not a usable stamp manifest: {string.Join("; ", problems)}.");
        }
    }

    private static void CheckNames(List<string> problems, string what, IEnumerable<string> names)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            if (name is null || !NamePattern().IsMatch(name))
            {
                problems.Add($"{what} name '{name}' must be 1 to 64 letters, digits, '.', '-' or '_'");
            }
            else if (!seen.Add(name))
            {
                problems.Add($"{what} '{name}' is declared twice");
            }
        }
    }

    private static void CheckLogs(List<string> problems, string where, IReadOnlyList<LogSource> logs, StampManifest manifest)
    {
        foreach (LogSource log in logs)
        {
            if (!Path.IsPathFullyQualified(log.Path))
            {
                problems.Add($"{where} log path '{log.Path}' must be absolute");
            }

            if (string.IsNullOrEmpty(log.Pattern) || log.Pattern.Contains('/', StringComparison.Ordinal))
            {
                problems.Add($"{where} log pattern '{log.Pattern}' must be a file-name pattern");
            }

            if (log.Node is { } node && !manifest.Nodes.Any(n => string.Equals(n.Name, node, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{where} log names node '{node}', which the manifest does not declare");
            }
        }
    }

    private static void CheckCommand(List<string> problems, string where, RoleCommand? command)
    {
        if (command is null)
        {
            return;
        }

        CheckArgv(problems, where, command.Argv);
        if (command.TimeoutSeconds <= 0)
        {
            problems.Add($"{where} timeoutSeconds must be positive");
        }
    }

    private static void CheckArgv(List<string> problems, string where, IReadOnlyList<string>? argv)
    {
        if (argv is null || argv.Count == 0 || !Path.IsPathFullyQualified(argv[0]))
        {
            problems.Add($"{where} needs an argv array whose first element is an absolute path");
        }
    }

    private static void CheckTest(List<string> problems, string where, HealthTest test)
    {
        if (string.IsNullOrWhiteSpace(test.Category) || !NamePattern().IsMatch(test.Category))
        {
            problems.Add($"{where} needs a category name");
        }

        if (test.TimeoutSeconds <= 0)
        {
            problems.Add($"{where} timeoutSeconds must be positive");
        }

        switch (test.Kind)
        {
            case HealthTestKind.Tcp when string.IsNullOrEmpty(test.Host) || test.Port is < 1 or > 65535:
                problems.Add($"{where} needs host and port");
                break;
            case HealthTestKind.Http when !Uri.TryCreate(test.Url, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps):
                problems.Add($"{where} needs an http or https url");
                break;
            case HealthTestKind.Command:
                CheckArgv(problems, where, test.Argv);
                break;
            case HealthTestKind.FileFreshness or HealthTestKind.FreeDisk when test.Path is null || !Path.IsPathFullyQualified(test.Path):
                problems.Add($"{where} needs an absolute path");
                break;
        }
    }

    private static void CheckCertificates(List<string> problems, StampManifest manifest)
    {
        CheckNames(problems, "certificate", manifest.Certificates.Select(c => c.Name));
        foreach (StampCertificate certificate in manifest.Certificates)
        {
            string where = $"certificate {certificate.Name}";
            if (string.Equals(certificate.Name, Certificates.EndpointCertificate.Name, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{where}: the name is reserved for the endpoint's own TLS certificate");
            }

            if (certificate.Path is null || !Path.IsPathFullyQualified(certificate.Path) || !certificate.Path.EndsWith(".pfx", StringComparison.Ordinal))
            {
                problems.Add($"{where} path must be an absolute path ending in .pfx");
            }

            if (certificate.SubjectNames.Count == 0 || certificate.SubjectNames.Any(n => n is null || !DnsNamePattern().IsMatch(n)))
            {
                problems.Add($"{where} needs subjectNames: DNS names (an external one may start with '*.')");
            }

            if (certificate.Role is { } role && manifest.FindRole(role) is not { Reload: not null })
            {
                problems.Add($"{where} role '{role}' must be a role with a reload command");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsNamePattern();
}
