using System.Diagnostics;
using System.Net.Sockets;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Samba server on a free loopback port with one share, <c>logs</c>, writable by one user whose
/// password only this test knows. Its configuration, password database and share live in a temporary folder.
/// </summary>
public sealed class SambaServer : IAsyncDisposable
{
    private readonly Process _smbd;

    private SambaServer(Process smbd, string folder, int port, string password)
    {
        _smbd = smbd;
        Folder = folder;
        Port = port;
        Password = password;
    }

    public string Folder { get; }

    public int Port { get; }

    public string User => "root";

    public string Password { get; }

    public string ShareFolder => Path.Combine(Folder, "share");

    public static async Task<SambaServer> StartAsync()
    {
        string folder = Directory.CreateTempSubdirectory("pep-test-smb-").FullName;
        foreach (string sub in new[] { "private", "lock", "state", "cache", "pid", "share", "ncalrpc", "binddns" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
        }

        int port = TestDeployment.FreePort();
        string password = "Share-" + Guid.NewGuid().ToString("N")[..12] + "-9x";
        string config = Path.Combine(folder, "smb.conf");
        await File.WriteAllTextAsync(config, $"""
            [global]
              workgroup = WORKGROUP
              server role = standalone server
              smb ports = {port}
              bind interfaces only = yes
              interfaces = 127.0.0.1
              private dir = {folder}/private
              lock directory = {folder}/lock
              state directory = {folder}/state
              cache directory = {folder}/cache
              pid directory = {folder}/pid
              ncalrpc dir = {folder}/ncalrpc
              binddns dir = {folder}/binddns
              log file = {folder}/log.smbd
              passdb backend = tdbsam:{folder}/private/passdb.tdb
              disable spoolss = yes
              load printers = no
              disable netbios = yes
              server min protocol = SMB2
            [logs]
              path = {folder}/share
              read only = no
              valid users = root
            """);
        ProcessResult added = await ProcessRunner.RunAsync("smbpasswd", ["-c", config, "-a", "-s", "root"], standardInput: $"{password}\n{password}\n");
        Assert.True(added.ExitCode == 0, $"smbpasswd failed: {added}");

        var startInfo = new ProcessStartInfo("smbd") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { "-s", config, "--foreground", "--no-process-group" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process smbd = Process.Start(startInfo)!;
        var server = new SambaServer(smbd, folder, port, password);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !smbd.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"smbd did not listen on {port} within 30 s.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_smbd.HasExited)
        {
            _smbd.Kill(entireProcessTree: true);
            await _smbd.WaitForExitAsync();
        }

        _smbd.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
