using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real rsyslogd (Debian's, with its GnuTLS driver for TLS) in the foreground, with its own configuration in a
/// temporary folder, listening on a free loopback port over TCP with TLS or over UDP, writing every message it
/// receives (its raw text, one a line) to a file the test reads. Stopped and started again for real.
/// </summary>
public sealed class RsyslogServer : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pep-rsyslog-").FullName;
    private readonly bool _udp;
    private Process? _process;

    private RsyslogServer(bool udp, int port)
    {
        _udp = udp;
        Port = port;
    }

    public int Port { get; }

    public string ReceivedFile => Path.Combine(_folder, "received.log");

    /// <summary>rsyslog over TCP with TLS, showing <paramref name="certificate"/> (with its key) issued by <paramref name="authority"/>.</summary>
    public static async Task<RsyslogServer> StartTlsAsync(TestCertificates authority, X509Certificate2 certificate)
    {
        var server = new RsyslogServer(udp: false, TestDeployment.FreePort());
        File.WriteAllText(Path.Combine(server._folder, "ca.pem"), authority.AuthorityPem);
        File.WriteAllText(Path.Combine(server._folder, "server.pem"), certificate.ExportCertificatePem());
        using RSA key = certificate.GetRSAPrivateKey()!;
        File.WriteAllText(Path.Combine(server._folder, "server.key"), key.ExportPkcs8PrivateKeyPem());
        server.WriteConfiguration($$"""
            global(workDirectory="{{server._folder}}"
                   DefaultNetstreamDriverCAFile="{{server._folder}}/ca.pem"
                   DefaultNetstreamDriverCertFile="{{server._folder}}/server.pem"
                   DefaultNetstreamDriverKeyFile="{{server._folder}}/server.key")
            module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
            input(type="imtcp" port="{{server.Port}}" address="127.0.0.1")
            """);
        await server.StartAsync();
        return server;
    }

    public static async Task<RsyslogServer> StartUdpAsync()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var server = new RsyslogServer(udp: true, port);
        server.WriteConfiguration($$"""
            global(workDirectory="{{server._folder}}")
            module(load="imudp")
            input(type="imudp" port="{{server.Port}}" address="127.0.0.1")
            """);
        await server.StartAsync();
        return server;
    }

    /// <summary>Every message received so far, one a line.</summary>
    public IReadOnlyList<string> Received()
        => File.Exists(ReceivedFile) ? File.ReadAllLines(ReceivedFile) : [];

    /// <summary>Waits until a received line contains every one of <paramref name="parts"/>; returns that line.</summary>
    public async Task<string> WaitForLineAsync(params string[] parts)
    {
        string? found = null;
        await EndpointInstance.WaitUntilAsync(
            () => (found = Received().FirstOrDefault(line => parts.All(part => line.Contains(part, StringComparison.Ordinal)))) is not null,
            () => $"rsyslog to receive a line with {string.Join(" and ", parts)}; received:\n{string.Join("\n", Received())}",
            TimeSpan.FromSeconds(90));
        return found!;
    }

    /// <summary>Starts rsyslogd (again) and waits until it listens on its port.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("rsyslogd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "-n", "-f", Path.Combine(_folder, "rsyslog.conf"), "-i", Path.Combine(_folder, "rsyslogd.pid") })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await EndpointInstance.WaitUntilAsync(() => Listening() || _process.HasExited, $"rsyslogd to listen on {Port}", TimeSpan.FromSeconds(30));
        Assert.False(_process.HasExited, $"rsyslogd exited with code {(_process.HasExited ? _process.ExitCode : 0)}");
    }

    /// <summary>Stops rsyslogd for real and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private void WriteConfiguration(string input)
        => File.WriteAllText(Path.Combine(_folder, "rsyslog.conf"), input + $$"""

            template(name="raw" type="string" string="%rawmsg%\n")
            action(type="omfile" file="{{ReceivedFile}}" template="raw")
            """);

    /// <summary>Whether the port is bound, from the kernel's socket tables (no probe connection that rsyslog would log).</summary>
    private bool Listening()
    {
        string table = _udp ? "/proc/net/udp" : "/proc/net/tcp";
        string port = ":" + Port.ToString("X4", CultureInfo.InvariantCulture);
        return File.ReadLines(table).Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(fields => fields[1].EndsWith(port, StringComparison.Ordinal) && (_udp || fields[3] == "0A"));
    }
}
