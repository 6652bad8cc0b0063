using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// Where every instance forwards its security events (Set-SyslogServer), kept in the deployment's shared settings so
/// that what one instance sets every instance uses, without a restart. The certificate options apply to TLS only.
/// </summary>
public sealed partial record SyslogServerSetting(string ServerName, int ServerPort, SyslogTransport Transport, bool SkipCertificateCheck, bool SkipCNCheck)
{
    public const string SettingKey = "syslog/server";

    /// <summary>The original's default port, whatever the transport.</summary>
    public const int DefaultPort = 514;

    public const int MaxServerNameLength = 253;

    /// <summary>The setting, or null when no server is set.</summary>
    public static SyslogServerSetting? Load(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Get(SettingKey) is { } stored ? Parse(stored.Value) : null;
    }

    public static SyslogServerSetting Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SyslogServerSetting>(json, JsonFiles.HandWritten)
                   ?? throw new StampManifestException($"The shared setting '{SettingKey}' is empty.");
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"The shared setting '{SettingKey}' is not a valid syslog server: {e.Message}", e);
        }
    }

    public void Save(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Set(SettingKey, JsonSerializer.Serialize(this, JsonFiles.HandWritten));
    }

    /// <summary>Null when the setting can be used; else why not.</summary>
    public string? Check()
    {
        if (ServerName.Length is 0 or > MaxServerNameLength || (!IPAddress.TryParse(ServerName, out _) && !HostName().IsMatch(ServerName)))
        {
            return $"'{Shown(ServerName)}' is not a host name or an IP address.";
        }

        if (ServerPort is < 1 or > 65535)
        {
            return $"{ServerPort} is not a port (1 to 65535).";
        }

        return Transport != SyslogTransport.Tls && (SkipCertificateCheck || SkipCNCheck)
            ? "-SkipCertificateCheck and -SkipCNCheck apply to TLS only; they cannot be given with -NoEncryption or -UseUDP."
            : null;
    }

    /// <summary>What the operator typed, as an error message may show it: one line, shortened.</summary>
    private static string Shown(string text)
        => string.Concat(text.Take(64).Select(c => char.IsControl(c) ? '?' : c)) + (text.Length > 64 ? "..." : "");

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
