using System.Globalization;
using System.Text;

namespace Pep.Gateway.SshDoor;

/// <summary>What <c>/proc</c> says about the process at the other end of an SSH door socket (<see cref="Pep.Core.Platform.PeerCredentials"/>).</summary>
internal static class PeerProcess
{
    /// <summary>One variable of the environment the process was started with (as sshd set it), or null.</summary>
    public static string? EnvironmentVariable(int pid, string name)
    {
        byte[] environ;
        try
        {
            environ = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string prefix = name + "=";
        return Encoding.UTF8.GetString(environ).Split('\0').FirstOrDefault(entry => entry.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }
}
