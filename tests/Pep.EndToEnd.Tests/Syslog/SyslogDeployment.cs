using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests.Syslog;

/// <summary>
/// Two instances on loopback whose gateways trust a test CA (their process's <c>SSL_CERT_FILE</c>, as a deployment
/// would put its SIEM's CA in the machine's store), for the syslog tests, which start their own rsyslogd each.
/// </summary>
public sealed class SyslogDeployment : IAsyncLifetime
{
    private readonly string _trust = Path.Combine(Path.GetTempPath(), "pep-syslog-ca-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
    private TestDeployment? _deployment;

    public TestCertificates Certificates { get; } = new();

    public TestDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public EndpointInstance First => Deployment.Running[0];

    public async Task InitializeAsync()
    {
        File.WriteAllText(_trust, Certificates.AuthorityPem);
        _deployment = await TestDeployment.CreateAsync(2);
        foreach (var instance in _deployment.Instances)
        {
            await _deployment.StartAsync(instance.Name, new Dictionary<string, string> { ["SSL_CERT_FILE"] = _trust });
        }
    }

    /// <summary>The client's last line as JSON, with the instances' output in the message when the client failed.</summary>
    public System.Text.Json.JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result + "\n" + string.Join("\n", Deployment.Running.Select(i => $"--- {i.Name} ---\n{i.Output}")));
        return System.Text.Json.JsonDocument.Parse(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]).RootElement;
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }

        Certificates.Dispose();
        File.Delete(_trust);
    }
}
