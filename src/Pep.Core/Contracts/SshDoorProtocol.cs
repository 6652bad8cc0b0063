using System.Text;

namespace Pep.Core.Contracts;

/// <summary>
/// What sshd's helper (<c>pep-ssh-door</c>) and the gateway of its instance agree on. Compiled into both (the
/// helper links this file). The helper is started by sshd three ways: by PAM (<c>pam_exec</c>) to check a
/// password, as sshd's <c>AuthorizedKeysCommand</c> to list an account's keys, and as the session's forced
/// command to carry the PowerShell subsystem to the gateway. A request is one line of space-separated fields,
/// each base64 (so that no field can hold a separator); the answer is one line too.
/// </summary>
public static class SshDoorProtocol
{
    /// <summary>The subsystem name stock pwsh asks for (<c>Enter-PSSession -HostName</c> uses it unless told another).</summary>
    public const string SubsystemName = "powershell";

    /// <summary>
    /// What sshd_config's Subsystem line names. sshd runs the forced command for every session and tells it the
    /// request in <c>SSH_ORIGINAL_COMMAND</c>: this value, and only it, means the powershell subsystem.
    /// </summary>
    public const string SubsystemCommand = "pep-powershell-subsystem";

    /// <summary>Request: check a password (user, client address, password).</summary>
    public const string PasswordVerb = "password";

    /// <summary>Request: the keys that may log in as a user now (user).</summary>
    public const string KeysVerb = "keys";

    /// <summary>
    /// The session relay's first message to the gateway (before any PSRP line): what sshd put in its environment
    /// (<c>SSH_CONNECTION</c>, <c>LC_ALL</c>, <c>LANG</c>), which the gateway, not being root, cannot read from /proc.
    /// </summary>
    public const string HelloVerb = "hello";

    public const string Accepted = "accepted";

    public const string Refused = "refused";

    /// <summary>Longest request line the gateway reads (a password is bounded far below).</summary>
    public const int MaxRequestBytes = 8192;

    public static string Request(string verb, params string[] fields)
        => verb + " " + string.Join(' ', fields.Select(field => Convert.ToBase64String(Encoding.UTF8.GetBytes(field)))) + "\n";

    /// <summary>The verb and its fields, or null for a line that is not a request.</summary>
    public static (string Verb, string[] Fields)? ParseRequest(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string[] parts = line.Split(' ');
        var fields = new string[parts.Length - 1];
        for (int i = 1; i < parts.Length; i++)
        {
            byte[] buffer = new byte[parts[i].Length];
            if (!Convert.TryFromBase64String(parts[i], buffer, out int written))
            {
                return null;
            }

            fields[i - 1] = Encoding.UTF8.GetString(buffer, 0, written);
        }

        return (parts[0], fields);
    }
}
