using System.Text.RegularExpressions;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>A burst of logins is served in turn: the gateway starts a bounded number of session hosts at once.</summary>
public sealed partial class LoginBurstTests
{
    [Fact]
    public async Task LoginsAtOnce_HostsStartOneAfterAnother_AndEverySessionOpens()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1, config => config with { Limits = config.Limits with { MaxConcurrentHostStarts = 1 } });
        EndpointInstance instance = await deployment.StartAsync("ERCS01");

        ProcessResult[] clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => deployment.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
            Remove-PSSession $pep
            """)));

        Assert.All(clients, client => Assert.Equal("ERCS01", SessionTests.LastLine(client)));

        // With one start at a time, each host is ready before the next one starts: started, ready, started, ready...
        string[] events = [.. HostEvent().Matches(instance.Output).Select(m => m.Groups["event"].Value)];
        Assert.True(events.Length == 6, string.Join(", ", events) + "\n" + instance.Output);
        Assert.Equal(["started", "ready", "started", "ready", "started", "ready"], events);
    }

    [Fact]
    public async Task SessionHosts_RunAtALowerCpuPriorityThanTheGateway()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");
        using HeldSession session = await HeldSession.OpenAsync(deployment);
        int host = Assert.Single(instance.SessionHostIds());

        Assert.Equal(0, NiceOf(instance.ProcessId));
        Assert.Equal(10, NiceOf(host));
    }

    /// <summary>The nice value of a process's main thread (field 19 of /proc/pid/stat).</summary>
    private static int NiceOf(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"Session [0-9a-f-]+(?: (?<event>started) for |: session host (?<event>ready) after )")]
    private static partial Regex HostEvent();
}
