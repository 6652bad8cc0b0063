using System.Net;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;
using Pep.Gateway.Hosting;

namespace Pep.Gateway.Broker;

/// <summary>
/// The stamp settings the settings cmdlets keep, done in the gateway through the deployment's shared settings (the
/// store the gateway's logins use: on etcd, what one instance sets every other reads at once). The forwarders are
/// also written to the DNS role's file and applied by its reload command, under a compare-and-swap on the shared
/// setting, so that two instances setting them at once cannot leave the file and the setting apart; the DNS server
/// settings (root hints, conditional forwarders) the same way. The TLS policy is a whole value the gateway's listener
/// watches (<see cref="TlsPolicyWatch"/>).
/// </summary>
internal sealed class SettingsRequests(StateLayout layout, ISettingsStore settings, TlsPolicyWatch tlsPolicy)
{
    /// <summary>Two instances setting the forwarders at once: each retry reads what the other wrote.</summary>
    private const int ChangeAttempts = 5;

    public BrokerReply GetLegalNotice()
        => Shared(() =>
        {
            try
            {
                LegalNotice notice = LegalNotice.Load(settings, layout.LegalNotice);
                return new LegalNoticeReply(notice.Caption, notice.Text);
            }
            catch (StampManifestException e)
            {
                return new BrokerFailure("LegalNoticeUnreadable", BrokerErrorCategory.ReadError, e.Message, LegalNotice.SettingKey);
            }
        });

    public BrokerReply SetLegalNotice(SetLegalNoticeRequest request)
        => Shared(() =>
        {
            var notice = new LegalNotice(request.Caption, request.Text);
            if (notice.Check() is { } problem)
            {
                return new BrokerFailure("LegalNoticeHasControlCharacters", BrokerErrorCategory.InvalidArgument, problem, request.Caption);
            }

            notice.Save(settings);
            return new LegalNoticeReply(notice.Caption, notice.Text);
        });

    public BrokerReply GetDnsForwarders()
        => WithDns((_, dns) => Reply(DnsForwarders.ReadShared(settings, dns).Addresses, dns));

    public BrokerReply SetDnsForwarders(SetDnsForwardersRequest request, BrokerCall call)
        => WithDns((manifest, dns) =>
        {
            if (ParseAddresses(request.Addresses, "InvalidDnsForwarder", out List<IPAddress> addresses) is { } notAddress)
            {
                return notAddress;
            }

            if (DnsForwarders.Check(addresses) is { } problem)
            {
                return new BrokerFailure("InvalidDnsForwarder", BrokerErrorCategory.InvalidArgument, problem, string.Join(", ", request.Addresses));
            }

            return ChangeDnsRole<IReadOnlyList<IPAddress>>(manifest, dns, call, TimeSpan.FromSeconds(manifest.FindRole(dns.Role)!.Reload!.TimeoutSeconds), "forwarders", "DnsForwardersChanged",
                () => DnsForwarders.ReadShared(settings, dns),
                _ => addresses,
                (value, version) => DnsForwarders.TryWriteShared(settings, value, version),
                value => DnsForwarders.Write(dns, value),
                (a, b) => a.SequenceEqual(b),
                value => Reply(value, dns));
        });

    public BrokerReply GetTlsPolicy()
        => Shared(() => TlsReply(TlsPolicy.Read(settings).Version));

    /// <summary>Sets the policy for every instance; this one applies it to its next handshake, the others within <see cref="TlsPolicyWatch.RefreshInterval"/>.</summary>
    public BrokerReply SetTlsPolicy(SetTlsPolicyRequest request)
        => Shared(() =>
        {
            string version = TlsPolicy.Normalize(request.Version)!;
            TlsPolicy.Write(settings, version);
            tlsPolicy.Refresh();
            return TlsReply(version);
        });

    public BrokerReply GetDnsServerSettings()
        => WithDnsServer((_, dns, file) => ServerReply(DnsServerSettings.ReadShared(settings).Settings, dns, file));

    public BrokerReply SetDnsServerSettings(SetDnsServerSettingsRequest request, BrokerCall call)
        => WithDnsServer((manifest, dns, file) => ChangeDnsServer(manifest, dns, file, call, TimeSpan.FromSeconds(manifest.FindRole(dns.Role)!.Reload!.TimeoutSeconds),
            current => current with { UseRootHint = request.UseRootHint }));

    public BrokerReply RegisterCustomDnsServer(RegisterCustomDnsServerRequest request, BrokerCall call)
        => WithDnsServer((manifest, dns, file) =>
        {
            if (DnsServerSettings.CheckZone(request.ZoneName) is { } zoneProblem)
            {
                return new BrokerFailure("InvalidCustomDomainName", BrokerErrorCategory.InvalidArgument, zoneProblem, request.ZoneName);
            }

            if (ParseAddresses(request.Addresses, "InvalidCustomDnsIPAddress", out List<IPAddress> servers) is { } notAddress)
            {
                return notAddress;
            }

            string zone = DnsServerSettings.CanonicalZone(request.ZoneName);
            if (DnsServerSettings.ReadShared(settings).Settings.CheckServers(zone, servers) is { } problem)
            {
                return new BrokerFailure("InvalidCustomDnsIPAddress", BrokerErrorCategory.InvalidArgument, problem, string.Join(", ", request.Addresses));
            }

            int reloadSeconds = Math.Min(manifest.FindRole(dns.Role)!.Reload!.TimeoutSeconds, request.TimeoutSeconds);
            return ChangeDnsServer(manifest, dns, file, call, TimeSpan.FromSeconds(reloadSeconds), now => now.WithZone(zone, servers));
        });

    private BrokerReply ChangeDnsServer(StampManifest manifest, DnsSettings dns, string file, BrokerCall call, TimeSpan reloadTimeout, Func<DnsServerSettings, DnsServerSettings> change)
        => ChangeDnsRole<DnsServerSettings>(manifest, dns, call, reloadTimeout, "server settings", "DnsServerSettingsChanged",
            () => DnsServerSettings.ReadShared(settings),
            change,
            (value, version) => value.TryWriteShared(settings, version),
            value => value.Write(file),
            (a, b) => a.UseRootHint == b.UseRootHint && a.Describe().SequenceEqual(b.Describe()),
            value => ServerReply(value, dns, file));

    /// <summary>
    /// One change of what the DNS role reads: the shared setting under a compare-and-swap on the version read (each
    /// retry reads what another instance wrote), then the role's file, then its reload command. When the reload fails
    /// the previous value is put back, in the setting and the file, unless another instance has changed it meanwhile:
    /// theirs stands.
    /// </summary>
    private static BrokerReply ChangeDnsRole<T>(StampManifest manifest, DnsSettings dns, BrokerCall call, TimeSpan reloadTimeout, string what, string changedErrorId,
        Func<(T Value, long Version)> read, Func<T, T> change, Func<T, long, bool> tryWrite, Action<T> writeFile, Func<T, T, bool> same, Func<T, BrokerReply> reply)
    {
        for (int attempt = 0; attempt < ChangeAttempts; attempt++)
        {
            (T previous, long version) = read();
            T next = change(previous);
            if (!tryWrite(next, version))
            {
                continue;
            }

            writeFile(next);
            RoleCommand reload = manifest.FindRole(dns.Role)!.Reload!;
            CommandOutcome outcome = CommandRunner.RunAsync(reload.Argv, reloadTimeout, call.Cancellation).GetAwaiter().GetResult();
            if (!outcome.Succeeded)
            {
                (T now, long nowVersion) = read();
                if (same(now, next) && tryWrite(previous, nowVersion))
                {
                    writeFile(previous);
                }

                return new BrokerFailure("DnsReloadFailed", BrokerErrorCategory.InvalidResult,
                    $"The {dns.Role} role's reload command {outcome.Describe()}; the previous {what} were restored.", dns.Role);
            }

            return reply(next);
        }

        return new BrokerFailure(changedErrorId, BrokerErrorCategory.ResourceUnavailable, $"The DNS {what} kept being changed through other instances meanwhile; try again.", dns.Role);
    }

    /// <summary>The addresses parsed, or a failure with <paramref name="errorId"/> naming the first that is not one.</summary>
    private static BrokerFailure? ParseAddresses(string[] texts, string errorId, out List<IPAddress> addresses)
    {
        addresses = [];
        foreach (string text in texts)
        {
            if (!IPAddress.TryParse(text, out IPAddress? address))
            {
                return new BrokerFailure(errorId, BrokerErrorCategory.InvalidArgument, $"'{text}' is not an IP address.", text);
            }

            addresses.Add(address);
        }

        return null;
    }

    private static TlsPolicyReply TlsReply(string version)
        => new(TlsPolicy.Normalize(version) ?? version, TlsPolicy.Describe(TlsPolicy.Protocols(version)));

    private static DnsServerSettingsReply ServerReply(DnsServerSettings value, DnsSettings dns, string file)
        => new(value.UseRootHint, value.Describe(), dns.Role, file);

    /// <summary>Runs <paramref name="work"/> when the manifest declares the DNS server settings file.</summary>
    private BrokerReply WithDnsServer(Func<StampManifest, DnsSettings, string, BrokerReply> work)
        => WithDns((manifest, dns) => dns.ServerSettingsFile is { } file
            ? Readable(() => work(manifest, dns, file))
            : new BrokerFailure("StampHasNoDnsServerSettings", BrokerErrorCategory.NotImplemented,
                "The stamp manifest's DNS declares no serverSettingsFile, so its DNS takes no server settings.", layout.StampManifest));

    /// <summary>A shared value this endpoint cannot read is a failure that says so, not a crash of the request.</summary>
    private static BrokerReply Readable(Func<BrokerReply> work)
    {
        try
        {
            return work();
        }
        catch (StampManifestException e)
        {
            return new BrokerFailure("DnsServerSettingsUnreadable", BrokerErrorCategory.ReadError, e.Message, DnsServerSettings.SettingKey);
        }
    }

    private static DnsForwardersReply Reply(IReadOnlyList<IPAddress> addresses, DnsSettings dns)
        => new([.. addresses.Select(a => a.ToString())], dns.Role, dns.ForwardersFile);

    private BrokerReply WithDns(Func<StampManifest, DnsSettings, BrokerReply> work)
    {
        StampManifest manifest;
        try
        {
            manifest = StampManifest.Load(layout.StampManifest);
        }
        catch (StampManifestException e)
        {
            return new BrokerFailure("StampManifestUnreadable", BrokerErrorCategory.ReadError, e.Message, layout.StampManifest);
        }

        if (manifest.Dns is not { } dns)
        {
            return new BrokerFailure("StampHasNoDns", BrokerErrorCategory.NotImplemented, "The stamp manifest declares no DNS.", layout.StampManifest);
        }

        return Shared(() => work(manifest, dns));
    }

    /// <summary>Runs <paramref name="work"/>; an unreachable shared store is a failure that says so.</summary>
    private static BrokerReply Shared(Func<BrokerReply> work)
    {
        try
        {
            return work();
        }
        catch (StoreUnavailableException e)
        {
            return new BrokerFailure("SettingsStoreUnavailable", BrokerErrorCategory.ResourceUnavailable, $"The deployment's shared settings cannot be reached: {e.Message}", "settings store");
        }
    }
}
