namespace Pep.Gateway.SshDoor;

/// <summary>
/// sshd finds CloudAdmin accounts through libnss-extrausers (<see cref="Pep.Core.Ssh.ExtraUsersFile"/>): the
/// machine must have the module and name it for passwd in /etc/nsswitch.conf (scripts/setup.sh does both).
/// The door does not change the machine's name service itself.
/// </summary>
internal static class NameService
{
    /// <summary>Where Debian's package puts the module (12: /usr/lib; multiarch layouts: /usr/lib/&lt;triplet&gt;).</summary>
    private static readonly string[] Modules = ["/usr/lib/libnss_extrausers.so.2", "/usr/lib/x86_64-linux-gnu/libnss_extrausers.so.2", "/usr/lib/aarch64-linux-gnu/libnss_extrausers.so.2"];

    public static void Check()
    {
        bool installed = Modules.Any(File.Exists);
        bool named = File.ReadLines("/etc/nsswitch.conf").Any(line => line.TrimStart().StartsWith("passwd:", StringComparison.Ordinal) && line.Contains("extrausers", StringComparison.Ordinal));
        if (!installed || !named)
        {
            throw new InvalidOperationException(
                "CloudAdmin accounts cannot exist for sshd: install libnss-extrausers and add 'extrausers' to the passwd line of /etc/nsswitch.conf (scripts/setup.sh does both).");
        }
    }
}
