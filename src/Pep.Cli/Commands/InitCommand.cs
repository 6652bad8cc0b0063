using System.CommandLine;
using System.Globalization;
using Pep.Core.Deployment;
using Pep.Core.Ssh;
using Pep.Core.Provisioning;
using Pep.Core.Stamp.Manifest;

namespace Pep.Cli.Commands;

/// <summary><c>pep init</c>: prepares a deployment's state directory.</summary>
internal static class InitCommand
{
    public static readonly string[] DefaultInstances = ["ERCS01=127.0.0.1:4443", "ERCS02=127.0.0.2:4443", "ERCS03=127.0.0.3:4443"];

    public static Command Create()
    {
        var state = new Option<DirectoryInfo?>("--state") { Description = "The state directory to create (must not hold a deployment yet); or give --bundle-dir." };
        var stampName = new Option<string>("--stamp-name") { Description = "The stamp's name.", DefaultValueFactory = _ => "azs" };
        var region = new Option<string>("--region") { Description = "The region name.", DefaultValueFactory = _ => "local" };
        var domain = new Option<string>("--domain") { Description = "The NetBIOS domain of CloudAdmin accounts (DOMAIN\\cloudadmin).", DefaultValueFactory = _ => "AZURESTACK" };
        var externalDomain = new Option<string>("--external-domain") { Description = "The stamp's external DNS domain.", DefaultValueFactory = _ => "azurestack.external" };
        var instances = new Option<string[]>("--instance")
        {
            Description = "An endpoint instance as NAME=ADDRESS:PORT, or NAME=ADDRESS:PORT,ssh=SSHPORT for an SSH front door too; repeat for each (default: three on loopback).",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => DefaultInstances,
        };
        var admin = new Option<string>("--admin") { Description = "The first CloudAdmin account.", DefaultValueFactory = _ => "cloudadmin" };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "Read the first account's password from this file." };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read the first account's password from this environment variable." };
        var supportAuthority = new Option<FileInfo?>("--support-authority") { Description = "The support authority's public bundle (from 'pep authority init'): lets its grants unlock sessions." };
        var stampManifest = new Option<FileInfo?>("--stamp-manifest") { Description = "The stamp behind the endpoint (docs/stamp-manifest.md); default: a stamp with no roles yet." };
        var outputRoots = new Option<string[]>("--output-root") { Description = "A folder under which cmdlets may write logs for operators; repeat for more.", AllowMultipleArgumentsPerToken = true };

        var store = new InitStoreOptions();
        var command = new Command("init", "Prepare a deployment: state directory, keys, TLS certificate and the first CloudAdmin account.")
        {
            state, stampName, region, domain, externalDomain, instances, admin, passwordFile, passwordEnv, supportAuthority, stampManifest, outputRoots,
        };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                var request = new DeploymentRequest(
                    parse.GetValue(stampName)!, parse.GetValue(region)!, parse.GetValue(domain)!, parse.GetValue(externalDomain)!,
                    ParseInstances(parse.GetValue(instances)!), parse.GetValue(admin)!, store.Settings(parse));
                DirectoryInfo? stateDirectory = parse.GetValue(state);
                if ((stateDirectory is null) == (store.BundleDirectory(parse) is null))
                {
                    throw new FormatException("Give either --state (one state directory) or --bundle-dir (one state directory per instance, etcd store).");
                }

                string password = PasswordInput.Read(parse.GetValue(passwordFile)?.FullName, parse.GetValue(passwordEnv), $"Password for {request.DomainNetBiosName}\\{request.FirstAdminUser}: ");
                if (parse.GetValue(supportAuthority) is { } checkFirst)
                {
                    // Refuse a bad bundle before anything is created.
                    Pep.Core.Support.SupportAuthorityBundle.Load(checkFirst.FullName).Dispose();
                }

                StampManifest stamp = parse.GetValue(stampManifest) is { } manifestFile
                    ? StampManifest.Load(manifestFile.FullName)
                    : DemoStamp.Empty(request.StampName, request.RegionName, request.ExternalDomainFqdn);
                string[] allowedOutputRoots = [.. (parse.GetValue(outputRoots) ?? []).Select(Path.GetFullPath)];
                if (store.BundleDirectory(parse) is { } bundles)
                {
                    DeploymentConfig bundled = DeploymentBundles.Create(bundles.FullName, request, password, store.Files(parse), TimeProvider.System);
                    InitStoreOptions.PrintBundles(bundles.FullName, bundled);
                    int registered = ExitCodes.Success;
                    foreach (InstanceConfig instance in bundled.Instances)
                    {
                        var instanceLayout = new StateLayout(Path.Combine(bundles.FullName, instance.Name));
                        (bundled with { AllowedOutputRoots = allowedOutputRoots }).Save(instanceLayout.ConfigFile);
                        stamp.Save(instanceLayout.StampManifest);
                        if (parse.GetValue(supportAuthority) is { } each && registered == ExitCodes.Success)
                        {
                            registered = AuthorityRegisterCommand.Register(instanceLayout, each.FullName, "pep init");
                        }

                        // The bundle is made for its host: the accounts and ownership are set again there by pep serve as root.
                        await ServiceIdentities.PrepareAsync(instanceLayout, [instance.Name], cancellationToken);
                    }

                    return registered;
                }

                var layout = new StateLayout(stateDirectory!.FullName);
                DeploymentConfig config = DeploymentInitializer.Create(layout, request, password, TimeProvider.System);
                config = config with { AllowedOutputRoots = allowedOutputRoots };
                config.Save(layout.ConfigFile);
                stamp.Save(layout.StampManifest);
                Print(layout, config);
                int result = parse.GetValue(supportAuthority) is { } bundle ? AuthorityRegisterCommand.Register(layout, bundle.FullName, "pep init") : ExitCodes.Success;
                await ServiceIdentities.PrepareAsync(layout, instances: null, cancellationToken);
                return result;
            }
            catch (Exception e) when (e is DeploymentException or StampManifestException or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"pep init: {e.Message}");
                return e is FormatException ? ExitCodes.InvalidInput : ExitCodes.DeploymentError;
            }
        });
        return command;
    }

    public static IReadOnlyList<InstanceConfig> ParseInstances(IEnumerable<string> specifications)
    {
        var result = new List<InstanceConfig>();
        foreach (string given in specifications)
        {
            (string specification, int? sshPort) = SplitSshPort(given);
            int equals = specification.IndexOf('=', StringComparison.Ordinal);
            int colon = specification.LastIndexOf(':');
            if (equals <= 0 || colon <= equals + 1
                || !int.TryParse(specification[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            {
                throw new FormatException($"'{specification}' is not NAME=ADDRESS:PORT.");
            }

            result.Add(new InstanceConfig { Name = specification[..equals].ToUpperInvariant(), Address = specification[(equals + 1)..colon], Port = port, SshPort = sshPort });
        }

        if (result.Count == 0 || result.Select(i => i.Name).Distinct().Count() != result.Count)
        {
            throw new FormatException("Give at least one instance, each with its own name.");
        }

        return result;
    }

    /// <summary>Takes the optional <c>,ssh=PORT</c> off an instance's specification.</summary>
    private static (string Specification, int? SshPort) SplitSshPort(string specification)
    {
        int comma = specification.IndexOf(",ssh=", StringComparison.Ordinal);
        if (comma < 0)
        {
            return (specification, null);
        }

        return int.TryParse(specification[(comma + 5)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is >= 1 and <= 65535
            ? (specification[..comma], port)
            : throw new FormatException($"'{specification}' is not NAME=ADDRESS:PORT,ssh=SSHPORT.");
    }

    private static void Print(StateLayout layout, DeploymentConfig config)
    {
        Console.WriteLine($"Deployment prepared in {layout.Root}");
        Console.WriteLine($"  stamp:      {config.Stamp.Name} ({config.Stamp.RegionName}.{config.Stamp.ExternalDomainFqdn})");
        Console.WriteLine($"  accounts:   {config.Stamp.DomainNetBiosName}\\<user>");
        foreach (InstanceConfig instance in config.Instances)
        {
            Console.WriteLine($"  instance:   {instance.Name} at {instance.Address}:{instance.Port}   (pep serve --state {layout.Root} --instance {instance.Name})");
            if (instance.SshPort is { } sshPort)
            {
                // The host key is made now, so that operators can pin it before the first login (known_hosts).
                var door = new SshDoorLayout(layout, instance.Name);
                string fingerprint = SshHostKey.EnsureAsync(door, CancellationToken.None).GetAwaiter().GetResult();
                string[] publicKey = File.ReadAllText(door.HostPublicKey).Split(' ');
                Console.WriteLine($"              SSH on port {sshPort}, host key {fingerprint}; known_hosts line:");
                Console.WriteLine($"              [{instance.Address}]:{sshPort} {publicKey[0]} {publicKey[1]}");
            }
        }

        Console.WriteLine($"  TLS certificate SHA-256 thumbprint (give it to operators for -CertificateThumbprint):");
        Console.WriteLine($"    {config.TlsCertificateThumbprint}");
    }
}
