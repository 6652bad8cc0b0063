using System.Text.Json;
using Pep.Core.Platform;

namespace Pep.Core.Sessions;

/// <summary>
/// How a login reaches a warm session host. A warm host is a <c>pwsh -s</c> started before anyone logged in:
/// the endpoint's startup hook warms it up, then PowerShell's server mode starts and waits for a client. Its
/// environment names a hand-over file instead of carrying an identity; the gateway writes that file (mode
/// 0600 in the instance's private runtime folder, or 0640 in the host's own runtime folder when it runs as a session
/// account: readable by that host alone) when a login takes the host, before it relays a single
/// byte of the client's, so the session reads the identity of its login the first time it needs it.
/// A host takes one hand-over in its life: the file is named by the session id the host was started for.
/// </summary>
public static class SessionHandover
{
    /// <summary>Set only on warm hosts: the hand-over file the gateway writes when a login takes the host.</summary>
    public const string FileVariable = "PEP_SESSION_HANDOVER";

    /// <summary>Set only on warm hosts: the session configuration the hook warms up with (no transcription).</summary>
    public const string WarmConfigurationVariable = "PEP_WARM_CONFIGURATION";

    /// <summary>Set on every host: the UI culture the endpoint's startup hook puts the host in before pwsh starts.</summary>
    public const string UICultureVariable = "PEP_HOST_UI_CULTURE";

    /// <summary>.NET's own variable naming the startup hook assembly.</summary>
    public const string StartupHooksVariable = "DOTNET_STARTUP_HOOKS";

    /// <summary>Writes the hand-over file: the identity's variables as one JSON object, complete or not at all.</summary>
    /// <param name="path">In the host's own runtime folder.</param>
    /// <param name="identity">The login the host serves.</param>
    /// <param name="mode">0600, or 0640 for a host that runs as its own session account and reads it by its group.</param>
    public static void Write(string path, SessionIdentity identity, UnixFileMode mode = AtomicFile.Private)
    {
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(identity.ToEnvironment()), mode, temporarySuffix: ".partial");
    }

    /// <summary>
    /// The identity handed over to this host, or null when it has none (not a warm host, or no login has taken
    /// it yet). Throws <see cref="FormatException"/> for a file that is not a complete identity.
    /// </summary>
    public static SessionIdentity? TryRead(Func<string, string?> environment)
    {
        string? path = environment(FileVariable);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return null;
        }

        return Parse(File.ReadAllText(path));
    }

    public static SessionIdentity Parse(string text)
    {
        Dictionary<string, string>? variables;
        try
        {
            variables = JsonSerializer.Deserialize<Dictionary<string, string>>(text);
        }
        catch (JsonException)
        {
            throw new FormatException("The hand-over file is not a JSON object of strings.");
        }

        if (variables is null || variables.Keys.Any(name => !SessionIdentity.IsIdentityVariable(name)))
        {
            throw new FormatException("The hand-over file holds something other than the identity's variables.");
        }

        return SessionIdentity.FromEnvironment(name => variables.GetValueOrDefault(name))
            ?? throw new FormatException("The hand-over file does not hold a complete identity.");
    }
}
