using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Broker;

/// <summary>The gateway's broker handler: each request kind to the part that does it, with its time limit.</summary>
internal sealed class BrokerDispatcher(AccountRequests accounts, SettingsRequests settings, CloseRequests close, RotationRequests rotation) : IBrokerHandler
{
    /// <summary>A password verification (PBKDF2) or two and a store transaction, on a machine that may be busy.</summary>
    private static readonly TimeSpan AccountTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Above the longest reload command a manifest may declare.</summary>
    private static readonly TimeSpan DnsTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Above the delivery lock's 30 minutes plus a slow share's copy.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromMinutes(60);

    /// <summary>Fetching PFX files from a share, writing keys and every role's reload command.</summary>
    private static readonly TimeSpan RotationTimeout = TimeSpan.FromMinutes(30);

    public Task<BrokerReply> HandleAsync(BrokerRequest request, BrokerCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        BrokerReply reply = request switch
        {
            ListAccountsRequest => accounts.List(),
            NewAccountRequest add => accounts.Add(add),
            RemoveAccountRequest remove => accounts.Remove(remove, call),
            SetAccountPasswordRequest change => accounts.SetPassword(change),
            GetLegalNoticeRequest => settings.GetLegalNotice(),
            SetLegalNoticeRequest notice => settings.SetLegalNotice(notice),
            GetDnsForwardersRequest => settings.GetDnsForwarders(),
            SetDnsForwardersRequest forwarders => settings.SetDnsForwarders(forwarders, call),
            CloseSessionRequest closing => close.Close(closing, call),
            RotateSecretsRequest rotating => rotation.Rotate(rotating, call),
            _ => BrokerFailures.Refused($"{request.Describe()} is not served by this endpoint."),
        };
        return Task.FromResult(reply);
    }

    public TimeSpan TimeoutFor(BrokerRequest request) => request switch
    {
        SetDnsForwardersRequest => DnsTimeout,
        CloseSessionRequest => CloseTimeout,
        RotateSecretsRequest => RotationTimeout,
        _ => AccountTimeout,
    };
}
