using System.Globalization;
using Pep.Core.Contracts;

namespace Pep.Core.Sessions;

/// <summary>
/// Who a session belongs to, as the gateway authenticated it. The gateway hands it to the session host in
/// the host's environment at spawn; nothing the session user types can reach or change it (the restricted
/// session has no variables, no providers and no way to run code).
/// </summary>
public sealed record SessionIdentity(
    Guid SessionId,
    string User,
    string Instance,
    string ClientAddress,
    DateTimeOffset StartedUtc,
    string StateDirectory,
    string Culture,
    string UICulture)
{
    private const string Prefix = "PEP_SESSION_";

    public IReadOnlyDictionary<string, string> ToEnvironment() => new Dictionary<string, string>
    {
        [Prefix + "ID"] = SessionId.ToString("D"),
        [Prefix + "USER"] = User,
        [Prefix + "INSTANCE"] = Instance,
        [Prefix + "CLIENT"] = ClientAddress,
        [Prefix + "STARTED"] = StartedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        [Prefix + "STATE"] = StateDirectory,
        [Prefix + "CULTURE"] = Culture,
        [Prefix + "UI_CULTURE"] = UICulture,
    };

    /// <summary>Reads the identity the gateway set; null when this process was not started by a gateway.</summary>
    public static SessionIdentity? FromEnvironment(Func<string, string?> read)
    {
        string? id = read(Prefix + "ID");
        string? user = read(Prefix + "USER");
        string? instance = read(Prefix + "INSTANCE");
        string? state = read(Prefix + "STATE");
        if (!Guid.TryParse(id, out Guid sessionId) || string.IsNullOrEmpty(user) || string.IsNullOrEmpty(instance) || string.IsNullOrEmpty(state))
        {
            return null;
        }

        DateTimeOffset started = DateTimeOffset.TryParse(read(Prefix + "STARTED"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset s)
            ? s
            : DateTimeOffset.UtcNow;
        return new SessionIdentity(sessionId, user, instance, read(Prefix + "CLIENT") ?? "", started, state, read(Prefix + "CULTURE") ?? WireProtocol.DefaultCulture,
            read(Prefix + "UI_CULTURE") ?? WireProtocol.DefaultCulture);
    }

    /// <summary>The environment variables that carry the identity: a host must not inherit them from its parent.</summary>
    public static bool IsIdentityVariable(string name) => name.StartsWith(Prefix, StringComparison.Ordinal);
}
