using Pep.Core.Platform;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The restrictions of a shipped unit that this machine can apply without systemd as PID 1 (systemd does not run
/// services here, so no unit can be started for real): <c>CapabilityBoundingSet=</c> and <c>NoNewPrivileges=</c>
/// (setpriv); <c>ProtectSystem=strict</c> with <c>ReadWritePaths=</c> (a mount namespace in which every mount but
/// /proc, /dev and the cgroup tree is read-only and the unit's writable paths are bound writable again, as systemd
/// does), with /sys and /proc/sys read-only as <c>ProtectKernelTunables=</c> makes them; <c>ProtectHome=</c> (/home,
/// /root and /run/user empty, read-only and closed); <c>PrivateDevices=</c> (a /dev of its own with the pseudo devices,
/// ptys and shared memory only); and <c>Delegate=</c> (a cgroup v2 folder of its own, which the
/// command may divide). The state folder of the unit (/var/lib/pep) is the test's, which lives in /tmp: /tmp stays
/// writable, as <c>PrivateTmp=</c> keeps it. Not applied: PrivateTmp=, ProtectKernelModules=,
/// ProtectKernelLogs=, ProtectClock=, ProtectHostname= and the seccomp filters (RestrictAddressFamilies=,
/// RestrictNamespaces=, SystemCallArchitectures=, LockPersonality=, RestrictRealtime=).
/// </summary>
public sealed class ServiceUnitSandbox : IAsyncDisposable
{
    /// <summary>$1 the capabilities (setpriv's form), $2 the writable paths (colon-separated), $3 the cgroup, $4 "nnp" or "", then the command.</summary>
    private const string Script = """
        set -e
        caps="$1"; writable="$2"; cgroup="$3"; nnp="$4"; shift 4
        IFS=:
        for path in $writable; do mount --bind "$path" "$path"; done
        unset IFS
        awk '{ print $5 }' /proc/self/mountinfo | while read -r mount; do
          case "$mount" in /proc|/proc/*|/dev|/dev/*|/sys/fs/cgroup|/sys/fs/cgroup/*) continue ;; esac
          bound=no
          IFS=:
          for path in $writable; do [ "$mount" = "$path" ] && bound=yes; done
          unset IFS
          [ "$bound" = yes ] || mount -o remount,bind,ro "$mount"
        done
        mount --bind /proc/sys /proc/sys
        mount -o remount,bind,ro /proc/sys
        for hidden in /home /root /run/user; do
          if [ -d "$hidden" ]; then mount -t tmpfs -o ro,mode=000 tmpfs "$hidden"; fi
        done
        devices=$(mktemp -d)
        mount --rbind /dev "$devices"
        mount -t tmpfs -o mode=0755,nosuid,noexec tmpfs /dev
        for node in null zero full random urandom tty; do touch "/dev/$node"; mount --bind "$devices/$node" "/dev/$node"; done
        mkdir /dev/pts /dev/shm
        mount --bind "$devices/pts" /dev/pts
        mount --bind "$devices/shm" /dev/shm
        ln -s pts/ptmx /dev/ptmx
        ln -s /proc/self/fd /dev/fd
        ln -s /proc/self/fd/0 /dev/stdin
        ln -s /proc/self/fd/1 /dev/stdout
        ln -s /proc/self/fd/2 /dev/stderr
        ln -s /run/systemd/journal/dev-log /dev/log
        umount -l "$devices"
        rmdir "$devices"
        echo $$ > "$cgroup/cgroup.procs"
        if [ "$nnp" = nnp ]; then exec setpriv --no-new-privs --bounding-set="-all,$caps" -- "$@"; fi
        exec setpriv --bounding-set="-all,$caps" -- "$@"
        """;

    private ServiceUnitSandbox(string cgroup, string[] prefix)
    {
        Cgroup = cgroup;
        Prefix = prefix;
    }

    /// <summary>The cgroup the command runs in (the unit's own, under systemd).</summary>
    public string Cgroup { get; }

    /// <summary>What goes before the command.</summary>
    public IReadOnlyList<string> Prefix { get; }

    /// <summary>The sandbox of <paramref name="unit"/>'s [Service] section, with <paramref name="state"/> as its state folder.</summary>
    public static ServiceUnitSandbox Create(ServiceUnit unit, string state)
    {
        ArgumentNullException.ThrowIfNull(unit);
        Assert.Equal("strict", unit.Service["ProtectSystem"]);
        string capabilities = string.Join(',', unit.Service["CapabilityBoundingSet"].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(name => "+" + name["CAP_".Length..].ToLowerInvariant()));
        string[] writable = [Path.GetTempPath().TrimEnd('/'), .. unit.Words("ReadWritePaths", state, "-")];
        string mount = CgroupV2.MountPoint() ?? throw new InvalidOperationException("No cgroup v2 hierarchy: Delegate= cannot be stood in for.");
        string own = File.ReadLines("/proc/self/cgroup").First(line => line.StartsWith("0::", StringComparison.Ordinal))["0::".Length..];
        string cgroup = Path.Combine(mount + own, "pep-unit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(cgroup);
        bool noNewPrivileges = unit.Service["NoNewPrivileges"] == "yes";
        return new ServiceUnitSandbox(cgroup,
            ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script, "sandbox",
             capabilities, string.Join(':', writable), cgroup, noNewPrivileges ? "nnp" : ""]);
    }

    /// <summary>True once no process is left in the cgroup or below it.</summary>
    public bool IsEmpty => File.ReadAllText(Path.Combine(Cgroup, "cgroup.events")).Contains("populated 0", StringComparison.Ordinal);

    /// <summary>SIGTERM to every process in the cgroup and below it at once, as <c>systemctl stop</c> does under <c>KillMode=control-group</c>.</summary>
    public async Task StopAsync()
    {
        string[] processes = [.. Directory.EnumerateFiles(Cgroup, "cgroup.procs", SearchOption.AllDirectories).SelectMany(File.ReadAllLines)];
        // Not its exit code: a process that ended between the listing and the signal (an sshd of a closed session) is
        // no failure; whether everything ends is what the caller waits for (IsEmpty).
        _ = await ProcessRunner.RunAsync("kill", ["-TERM", .. processes]);
    }

    /// <summary>Ends everything left in the cgroup (as KillMode=control-group does) and removes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(Cgroup))
        {
            return;
        }

        await File.WriteAllTextAsync(Path.Combine(Cgroup, "cgroup.kill"), "1");
        await EndpointInstance.WaitUntilAsync(() => IsEmpty, $"every process of {Cgroup} ended");
        foreach (string folder in Directory.EnumerateDirectories(Cgroup, "*", SearchOption.AllDirectories).Reverse().Append(Cgroup))
        {
            Directory.Delete(folder);
        }
    }
}
