using Pep.Core.Identities;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The shipped systemd unit (deploy/systemd/pep@.service), checked by systemd's own verifier (systemd is not PID 1
/// here; <c>systemd-analyze verify</c> still loads and checks a unit) and against the identities the code uses.
/// </summary>
public sealed class ServiceUnitTests : IDisposable
{
    private static readonly string Shipped = Path.Combine(RepositoryPaths.Root, "deploy", "systemd", "pep@.service");
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-unit-").FullName;

    [Fact]
    public async Task TheTemplateUnit_PassesSystemdAnalyzeVerify_WithNoWarning()
    {
        ProcessResult verify = await VerifyAsync(File.ReadAllText(Shipped));

        Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0 && verify.StandardOutput.Trim().Length == 0, verify.ToString());
    }

    [Fact]
    public async Task AUnitWithAValueSystemdCannotParse_IsReported()
    {
        // The verifier only warns on an unknown key or a bad value (exit 0): the test above must read its output.
        ProcessResult verify = await VerifyAsync(File.ReadAllText(Shipped).Replace("NoNewPrivileges=yes", "NoNewPrivileges=maybe", StringComparison.Ordinal));

        Assert.Contains("Failed to parse boolean value, ignoring: maybe", verify.StandardError + verify.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnit_RunsAsTheGatewaysAccount_WithOnlyTheCapabilitiesStartingAndEndingHostsNeed()
    {
        IReadOnlyDictionary<string, string> service = ServiceSection(File.ReadAllText(Shipped));

        Assert.Equal(ServiceAccounts.GatewayUser, service["User"]);
        Assert.Equal("yes", service["NoNewPrivileges"]);
        Assert.Equal("strict", service["ProtectSystem"]);
        Assert.Equal("/var/lib/pep", service["ReadWritePaths"]);
        Assert.Equal("yes", service["PrivateTmp"]);
        Assert.Equal("CAP_SETUID CAP_SETGID CAP_KILL", service["CapabilityBoundingSet"]);
        Assert.Equal("CAP_SETUID CAP_SETGID CAP_KILL", service["AmbientCapabilities"]);
        Assert.Equal(Path.GetFileName(ServiceAccounts.SlotLeaseDirectory), service["RuntimeDirectory"]);
        Assert.Contains("--state /var/lib/pep --instance %i", service["ExecStart"], StringComparison.Ordinal);
    }

    /// <summary>Runs the verifier on the unit, with its program pointed at the pep this repository built (it must exist).</summary>
    private async Task<ProcessResult> VerifyAsync(string unit)
    {
        string pep = Path.Combine(RepositoryPaths.CliDirectory, "pep");
        File.WriteAllText(Path.Combine(_folder, "pep@.service"), unit.Replace("/opt/pep/bin/pep ", pep + " ", StringComparison.Ordinal));
        return await ProcessRunner.RunAsync("systemd-analyze", ["verify", "--man=no", Path.Combine(_folder, "pep@ERCS01.service")]);
    }

    private static Dictionary<string, string> ServiceSection(string unit)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        bool inService = false;
        foreach (string line in unit.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith('['))
            {
                inService = line == "[Service]";
            }
            else if (inService && !line.StartsWith('#') && line.IndexOf('=', StringComparison.Ordinal) is > 0 and int equals)
            {
                values[line[..equals]] = line[(equals + 1)..];
            }
        }

        return values;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
