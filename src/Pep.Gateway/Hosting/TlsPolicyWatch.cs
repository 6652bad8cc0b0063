using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;

namespace Pep.Gateway.Hosting;

/// <summary>
/// The TLS policy this instance's HTTPS listener applies (Set-TLSPolicy), read from the deployment's shared settings at
/// start and every <see cref="RefreshInterval"/>, so a policy set through any instance reaches every other one without
/// a restart; the instance whose session set it applies it at once (<see cref="Refresh"/>). Every handshake reads
/// <see cref="Protocols"/> (Kestrel's per-connection TLS options), never the store: connections already open keep
/// the version they agreed. With the store unreachable the last policy read stays (one warning per outage; TLS 1.3 only when none was read yet); a value
/// this endpoint does not know fails closed to TLS 1.3 only (<see cref="TlsPolicy.Protocols"/>).
/// </summary>
[SuppressMessage("Security", "CA5398", Justification = "Before the first read, the strictest version the operator can choose (Set-TLSPolicy).")]
internal sealed class TlsPolicyWatch : IDisposable
{
    /// <summary>How late another instance's change may be applied here; a read costs one key of the store.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private readonly ISettingsStore _settings;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private string? _applied;
    private bool _storeLost;
    /// <summary>
    /// Until the policy has been read once, the strictest one: an instance that starts while the store is unreachable
    /// cannot know whether TLS 1.2 is allowed, and it takes no login without the store anyway.
    /// </summary>
    private volatile SslProtocols _protocols = SslProtocols.Tls13;

    public TlsPolicyWatch(ISettingsStore settings)
    {
        _settings = settings;
    }

    /// <summary>Where changes are reported; set once the gateway's logging exists.</summary>
    public ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>What a new handshake may use.</summary>
    public SslProtocols Protocols => _protocols;

    /// <summary>Reads the policy now, then every <see cref="RefreshInterval"/> on <paramref name="time"/>.</summary>
    public void Start(TimeProvider time)
    {
        Refresh();
        _timer = time.CreateTimer(_ => Refresh(), null, RefreshInterval, RefreshInterval);
    }

    /// <summary>Reads the shared policy and applies it to the next handshakes; a store that cannot be reached leaves the current one.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            string version;
            try
            {
                version = TlsPolicy.Read(_settings).Version;
            }
            catch (StoreUnavailableException e)
            {
                if (!_storeLost)
                {
                    _storeLost = true;
                    GatewayLog.TlsPolicyStoreUnreachable(Logger, e.Message);
                }

                return;
            }

            _storeLost = false;
            if (version == _applied)
            {
                return;
            }

            SslProtocols protocols = TlsPolicy.Protocols(version);
            _protocols = protocols;
            if (TlsPolicy.Normalize(version) is null)
            {
                GatewayLog.TlsPolicyUnknown(Logger, version.Length > 32 ? version[..32] : version);
            }
            else if (_applied is not null || version != TlsPolicy.Default)
            {
                GatewayLog.TlsPolicyApplied(Logger, version, string.Join(", ", TlsPolicy.Describe(protocols)));
            }

            _applied = version;
        }
    }

    public void Dispose() => _timer?.Dispose();
}
