using System.Text.Json;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Settings;

/// <summary>
/// What the instances forward and the client certificate they show a TLS syslog server (Set-SyslogClient), kept in
/// the deployment's shared settings. The certificate with its private key is <see cref="SealedCertificate"/>: a PFX
/// encrypted to the stamp key (RSA-OAEP-SHA256 wrapping AES-256-GCM), which only the instances' gateways hold, so the
/// shared store never holds it readable; the rest describes it for Get-SyslogClient.
/// </summary>
public sealed record SyslogClientSetting(
    SyslogOutputSeverity OutputSeverity, string? CertificateSubject, string? CertificateThumbprint, DateTimeOffset? CertificateNotAfter, string? SealedCertificate)
{
    public const string SettingKey = "syslog/client";

    public static SyslogClientSetting None { get; } = new(SyslogOutputSeverity.Default, null, null, null, null);

    public static SyslogClientSetting Load(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Get(SettingKey) is { } stored ? Parse(stored.Value) : None;
    }

    public static SyslogClientSetting Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<SyslogClientSetting>(json, JsonFiles.HandWritten) ?? None;
        }
        catch (JsonException e)
        {
            throw new StampManifestException($"The shared setting '{SettingKey}' is not a valid syslog client setting: {e.Message}", e);
        }
    }

    public void Save(ISettingsStore settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Set(SettingKey, JsonSerializer.Serialize(this, JsonFiles.HandWritten));
    }
}
