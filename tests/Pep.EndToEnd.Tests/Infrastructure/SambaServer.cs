using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real Samba server on a free loopback port, configured entirely inside a temporary directory (its own
/// private, lock, state, cache and pid directories and tdbsam), with one writable share, <c>audit</c>, and one
/// user whose password only this test knows. A class fixture.
/// <see cref="StopAsync"/> kills smbd and its per-connection children, so the share goes away mid-transfer;
/// <see cref="StartAsync"/> brings it back on the same port with the same share and user.
/// </summary>
public sealed class SambaServer : IAsyncLifetime
{
    public const string ShareName = "audit";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pep-smb-" + Guid.NewGuid().ToString("N")[..12]);
    private Process? _smbd;

    public int Port { get; } = TestDeployment.FreePort();

    /// <summary>The account Samba maps the share user to must exist on the machine: the one the tests run as.</summary>
    public string User { get; } = Environment.UserName;

    public string Password { get; } = "Share-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    /// <summary>The share's folder on this machine.</summary>
    public string ShareDirectory => Path.Combine(_root, "share");

    private string ConfigFile => Path.Combine(_root, "smb.conf");

    /// <summary>A folder in the share, as the transcript destinations name it (the port comes from deployment.json).</summary>
    public string Unc(string folder) => $@"\\127.0.0.1\{ShareName}\{folder}";

    /// <summary>A folder in the share with the port in the host part, as Get-AzureStackLog -OutputSharePath takes it.</summary>
    public string UncWithPort(string folder) => $@"\\127.0.0.1:{Port}\{ShareName}\{folder}";

    public string FolderOnDisk(string folder) => Path.Combine(ShareDirectory, folder);

    public async Task InitializeAsync()
    {
        foreach (string name in new[] { "private", "lock", "state", "cache", "pid", "log", "ncalrpc", "binddns", "share" })
        {
            Directory.CreateDirectory(Path.Combine(_root, name));
        }

        await File.WriteAllTextAsync(ConfigFile, $"""
            [global]
              workgroup = WORKGROUP
              server role = standalone server
              smb ports = {Port}
              interfaces = lo
              bind interfaces only = yes
              private dir = {_root}/private
              lock directory = {_root}/lock
              state directory = {_root}/state
              cache directory = {_root}/cache
              pid directory = {_root}/pid
              ncalrpc dir = {_root}/ncalrpc
              binddns dir = {_root}/binddns
              log file = {_root}/log/log.%m
              passdb backend = tdbsam:{_root}/private/passdb.tdb
              disable netbios = yes
              load printers = no
              printing = bsd
              printcap name = /dev/null
              disable spoolss = yes
              map to guest = never
              server min protocol = SMB2
            [{ShareName}]
              path = {ShareDirectory}
              read only = no
              valid users = {User}
            """);

        ProcessResult added = await ProcessRunner.RunAsync("smbpasswd", ["-c", ConfigFile, "-a", "-s", User], standardInput: $"{Password}\n{Password}\n");
        Assert.True(added.ExitCode == 0, $"smbpasswd failed: {added}");
        await StartAsync();
    }

    /// <summary>Starts smbd and waits until it listens (bounded).</summary>
    public async Task StartAsync()
    {
        var startInfo = new ProcessStartInfo("smbd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { "--foreground", "--no-process-group", "-s", ConfigFile, "--debug-stdout", "-d", "0" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process smbd = Process.Start(startInfo)!;
        _smbd = smbd;
        smbd.OutputDataReceived += (_, _) => { };
        smbd.ErrorDataReceived += (_, _) => { };
        smbd.BeginOutputReadLine();
        smbd.BeginErrorReadLine();
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !smbd.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await StopAsync();
                throw new InvalidOperationException($"smbd did not listen on {Port} within 30 s (log: {_root}/log).");
            }
        }
    }

    /// <summary>Kills smbd and every child serving a connection: the share is gone at once.</summary>
    public async Task StopAsync()
    {
        if (_smbd is null)
        {
            return;
        }

        if (!_smbd.HasExited)
        {
            _smbd.Kill(entireProcessTree: true);
        }

        await _smbd.WaitForExitAsync();
        _smbd.Dispose();
        _smbd = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_root, recursive: true);
    }
}
