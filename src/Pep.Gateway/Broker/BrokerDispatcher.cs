using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Actions;
using Pep.Gateway.Stamp;

namespace Pep.Gateway.Broker;

/// <summary>The gateway's broker handler: each request kind to the part that does it, with its time limit.</summary>
internal sealed class BrokerDispatcher(
    AccountRequests accounts,
    SettingsRequests settings,
    SyslogRequests syslog,
    BmcRequests bmc,
    CloseRequests close,
    RotationRequests rotation,
    StampLifecycleRequests lifecycle,
    StampHealthRequests health,
    StampLogRequests logs,
    OnDemandLogRequests onDemandLogs,
    ActionRunner runner,
    ActionRequests actions,
    SupportAuthorityRequests support) : IBrokerHandler
{
    /// <summary>A password verification (PBKDF2) or two and a store transaction, on a machine that may be busy.</summary>
    private static readonly TimeSpan AccountTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Above the longest reload command a manifest may declare.</summary>
    private static readonly TimeSpan DnsTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Every node's BMC command one after another (each bounded by its declared timeout).</summary>
    private static readonly TimeSpan BmcTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Above the delivery lock's 30 minutes plus a slow share's copy.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromMinutes(60);

    /// <summary>Fetching PFX files from a share, writing keys and every role's reload command.</summary>
    private static readonly TimeSpan RotationTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Beyond the time the operator gave a stamp operation (its -TimeoutInSecs, -TimeoutSeconds or -TimeOutInMinutes):
    /// the operation ends itself at its own time and reports what it did; the broker's limit only catches one that does not.
    /// </summary>
    private static readonly TimeSpan StampMargin = TimeSpan.FromMinutes(2);

    public Task<BrokerReply> HandleAsync(BrokerRequest request, BrokerCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        BrokerReply reply = request switch
        {
            ListAccountsRequest => accounts.List(),
            NewAccountRequest add => accounts.Add(add),
            RemoveAccountRequest remove => accounts.Remove(remove, call),
            SetAccountPasswordRequest change => accounts.SetPassword(change),
            ListSshKeysRequest listKeys => accounts.ListSshKeys(listKeys),
            AddSshKeyRequest addKey => accounts.AddSshKey(addKey),
            RemoveSshKeyRequest removeKey => accounts.RemoveSshKey(removeKey),
            GetLegalNoticeRequest => settings.GetLegalNotice(),
            SetLegalNoticeRequest notice => settings.SetLegalNotice(notice),
            GetDnsForwardersRequest => settings.GetDnsForwarders(),
            SetDnsForwardersRequest forwarders => settings.SetDnsForwarders(forwarders, call),
            GetSyslogServerRequest => syslog.GetServer(),
            SetSyslogServerRequest server => syslog.SetServer(server),
            GetSyslogClientRequest => syslog.GetClient(),
            SetSyslogClientRequest client => syslog.SetClient(client),
            GetTlsPolicyRequest => settings.GetTlsPolicy(),
            SetTlsPolicyRequest policy => settings.SetTlsPolicy(policy),
            GetDnsServerSettingsRequest => settings.GetDnsServerSettings(),
            SetDnsServerSettingsRequest server => settings.SetDnsServerSettings(server, call),
            RegisterCustomDnsServerRequest custom => settings.RegisterCustomDnsServer(custom, call),
            SetBmcCredentialRequest credential => bmc.SetCredential(credential, call),
            CloseSessionRequest closing => close.Close(closing, call),
            RotateSecretsRequest { CheckOnly: true } planning => rotation.Rotate(planning, call),
            RotateSecretsRequest rotating => AsAction("Start-SecretRotation", lifecycle: false, rotating, call, (r, c) => rotation.Rotate(r, c)),
            PlanStampLifecycleRequest plan => lifecycle.Plan(plan),
            RunStampLifecycleRequest run => AsAction(run.Action == RoleAction.Stop ? "Stop-AzureStack" : "Start-AzureStack", lifecycle: true, run, call, lifecycle.Run),
            TestStampRequest test => health.Test(test, call),
            CollectStampLogsRequest collect => AsAction("Get-AzureStackLog", lifecycle: false, collect, call, logs.CollectStampLogs),
            FollowActionRequest follow => actions.Follow(follow, call),
            GetActionStatusRequest status => actions.Status(status),
            GenerateOnDemandLogsRequest generate => onDemandLogs.Check(generate) ?? AsAction("Invoke-AzureStackOnDemandLog", lifecycle: false, generate, call, onDemandLogs.Generate),
            CollectClusterLogRequest collect => AsAction("Get-ClusterLog", lifecycle: false, collect, call, logs.CollectClusterLog),
            SupportTokenIssuedRequest issued => support.SupportTokenIssued(issued, call),
            RequestPasswordRecoveryRequest recover => support.RequestRecovery(recover, call),
            CompletePasswordRecoveryRequest complete => support.CompleteRecovery(complete, call),
            _ => BrokerFailures.Refused($"{request.Describe()} is not served by this endpoint."),
        };
        return Task.FromResult(reply);
    }

    /// <summary>
    /// Starts the work as a tracked action the gateway holds, within the time this request would have had, on a copy of the
    /// request that the action owns: the broker wipes the request's secrets as soon as it has answered, which is at once.
    /// </summary>
    private BrokerReply AsAction<TRequest>(string functionName, bool lifecycle, TRequest request, BrokerCall call, Func<TRequest, BrokerCall, BrokerReply> work)
        where TRequest : BrokerRequest
    {
        byte[] frame = BrokerFrames.Encode(request);
        var owned = (TRequest)BrokerFrames.Decode<BrokerRequest>(frame);
        Array.Clear(frame);
        return runner.Start(functionName, lifecycle, owned, call, TimeoutFor(request), actionCall => work(owned, actionCall));
    }

    public TimeSpan TimeoutFor(BrokerRequest request) => request switch
    {
        SetDnsForwardersRequest or SetDnsServerSettingsRequest or RegisterCustomDnsServerRequest => DnsTimeout,
        SetBmcCredentialRequest => BmcTimeout,
        CloseSessionRequest => CloseTimeout,
        RotateSecretsRequest => RotationTimeout,
        RunStampLifecycleRequest run => TimeSpan.FromSeconds(run.TimeoutInSecs) + StampMargin,
        TestStampRequest test => TimeSpan.FromSeconds(test.TimeoutSeconds) + StampMargin,
        CollectStampLogsRequest collect => (TimeSpan.FromMinutes(collect.TimeoutMinutes) * 2) + StampMargin,
        CollectClusterLogRequest => CloseTimeout,
        GenerateOnDemandLogsRequest generate => (TimeSpan.FromMinutes(generate.TimeoutMinutes) * (generate.OutputPath is null ? 1 : 3)) + StampMargin,
        _ => AccountTimeout,
    };
}
