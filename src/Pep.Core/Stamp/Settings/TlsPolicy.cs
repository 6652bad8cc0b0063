using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// Which TLS versions the endpoint's own HTTPS listeners accept, kept in the deployment's shared settings
/// (<see cref="SettingKey"/>) so every instance applies the same one. The names are the original's
/// (<c>Set-TLSPolicy -Version TLS_1.2 | TLS_All</c>) plus <c>TLS_1.3</c>. This endpoint never accepts a version
/// older than TLS 1.2, so the original's two values mean the same here (1.2 and 1.3: "TLS_1.2" kept the original
/// on 1.2 and later); <c>TLS_1.3</c> refuses TLS 1.2 as well.
/// </summary>
[SuppressMessage("Security", "CA5398", Justification = "Set-TLSPolicy is the operator choosing the versions; nothing older than TLS 1.2 is ever named here.")]
public static class TlsPolicy
{
    /// <summary>Its key in the shared settings.</summary>
    public const string SettingKey = "tls/policy";

    /// <summary>TLS 1.2 and 1.3 (the original's name for "every version the endpoint supports").</summary>
    public const string All = "TLS_All";

    /// <summary>TLS 1.2 and later (the original's name for "nothing older than 1.2").</summary>
    public const string Tls12 = "TLS_1.2";

    /// <summary>TLS 1.3 only.</summary>
    public const string Tls13 = "TLS_1.3";

    /// <summary>The values Set-TLSPolicy -Version takes, in the order its help lists them.</summary>
    public static IReadOnlyList<string> Versions { get; } = [Tls12, Tls13, All];

    /// <summary>What an instance applies when no policy was ever set.</summary>
    public const string Default = All;

    /// <summary>The exact version name (case as declared) for <paramref name="text"/>, or null when it is none of them.</summary>
    public static string? Normalize(string? text)
        => Versions.FirstOrDefault(v => string.Equals(v, text?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The protocols a policy lets a handshake use. An unknown value (written into the store by something other than
    /// this endpoint) fails closed: TLS 1.3 only.
    /// </summary>
    public static SslProtocols Protocols(string? version) => Normalize(version) switch
    {
        Tls12 or All => SslProtocols.Tls12 | SslProtocols.Tls13,
        _ => SslProtocols.Tls13,
    };

    /// <summary>The protocols' names, for the cmdlets' output.</summary>
    public static string[] Describe(SslProtocols protocols)
        => [.. new[] { (SslProtocols.Tls12, "TLS 1.2"), (SslProtocols.Tls13, "TLS 1.3") }.Where(p => protocols.HasFlag(p.Item1)).Select(p => p.Item2)];

    /// <summary>The policy in the shared settings (<see cref="Default"/> when never set) as stored, with the setting's version (0 when never set).</summary>
    public static (string Version, long SettingVersion) Read(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Get(SettingKey) is { } stored ? (stored.Value, stored.Version) : (Default, 0);
    }

    /// <summary>Sets the policy for every instance (last writer wins: a whole value, nothing to merge).</summary>
    public static void Write(ISettingsStore settings, string version)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string normalized = Normalize(version) ?? throw new ArgumentException($"'{version}' is not a TLS policy.", nameof(version));
        settings.Set(SettingKey, normalized);
    }
}
