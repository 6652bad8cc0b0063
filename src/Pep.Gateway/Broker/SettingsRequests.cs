using System.Net;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Core.Stamp.Settings;
using Pep.Core.Storage;

namespace Pep.Gateway.Broker;

/// <summary>
/// The stamp settings the settings cmdlets keep, done in the gateway through the deployment's shared settings (the
/// store the gateway's logins use: on etcd, what one instance sets every other reads at once). The forwarders are
/// also written to the DNS role's file and applied by its reload command, under a compare-and-swap on the shared
/// setting, so that two instances setting them at once cannot leave the file and the setting apart.
/// </summary>
internal sealed class SettingsRequests(StateLayout layout, ISettingsStore settings)
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
            var addresses = new List<IPAddress>();
            foreach (string text in request.Addresses)
            {
                if (!IPAddress.TryParse(text, out IPAddress? address))
                {
                    return new BrokerFailure("InvalidDnsForwarder", BrokerErrorCategory.InvalidArgument, $"'{text}' is not an IP address.", text);
                }

                addresses.Add(address);
            }

            if (DnsForwarders.Check(addresses) is { } problem)
            {
                return new BrokerFailure("InvalidDnsForwarder", BrokerErrorCategory.InvalidArgument, problem, string.Join(", ", request.Addresses));
            }

            for (int attempt = 0; attempt < ChangeAttempts; attempt++)
            {
                (IReadOnlyList<IPAddress> previous, long version) = DnsForwarders.ReadShared(settings, dns);
                if (!DnsForwarders.TryWriteShared(settings, addresses, version))
                {
                    continue;
                }

                DnsForwarders.Write(dns, addresses);
                RoleCommand reload = manifest.FindRole(dns.Role)!.Reload!;
                CommandOutcome outcome = CommandRunner.RunAsync(reload.Argv, TimeSpan.FromSeconds(reload.TimeoutSeconds), call.Cancellation).GetAwaiter().GetResult();
                if (!outcome.Succeeded)
                {
                    // Put back what was there, unless another instance has set the forwarders meanwhile: theirs stand.
                    if (DnsForwarders.ReadShared(settings, dns) is { } now && DnsForwarders.TryWriteShared(settings, previous, now.Version) && now.Addresses.SequenceEqual(addresses))
                    {
                        DnsForwarders.Write(dns, previous);
                    }

                    return new BrokerFailure("DnsReloadFailed", BrokerErrorCategory.InvalidResult,
                        $"The {dns.Role} role's reload command {outcome.Describe()}; the previous forwarders were restored.", dns.Role);
                }

                return Reply(addresses, dns);
            }

            return new BrokerFailure("DnsForwardersChanged", BrokerErrorCategory.ResourceUnavailable, "The forwarders kept being changed through other instances meanwhile; try again.", dns.Role);
        });

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
