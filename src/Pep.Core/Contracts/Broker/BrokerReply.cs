using System.Text.Json.Serialization;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// What the gateway sends back on a request's connection: any number of <see cref="IsFinal"/>-false replies
/// (progress, warnings, verbose lines), then exactly one final reply (a result or a <see cref="BrokerFailure"/>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(BrokerProgress), "progress")]
[JsonDerivedType(typeof(BrokerWarning), "warning")]
[JsonDerivedType(typeof(BrokerVerbose), "verbose")]
[JsonDerivedType(typeof(BrokerFailure), "failure")]
[JsonDerivedType(typeof(DoneReply), "done")]
[JsonDerivedType(typeof(AccountListReply), "accounts")]
[JsonDerivedType(typeof(AccountReply), "account")]
[JsonDerivedType(typeof(SshKeyListReply), "sshKeys")]
[JsonDerivedType(typeof(LegalNoticeReply), "legalNotice")]
[JsonDerivedType(typeof(DnsForwardersReply), "dnsForwarders")]
[JsonDerivedType(typeof(TlsPolicyReply), "tlsPolicy")]
[JsonDerivedType(typeof(DnsServerSettingsReply), "dnsServerSettings")]
[JsonDerivedType(typeof(BmcCredentialReply), "bmcCredential")]
[JsonDerivedType(typeof(CloseReply), "close")]
[JsonDerivedType(typeof(RotationPlanReply), "rotationPlan")]
[JsonDerivedType(typeof(RotationReply), "rotation")]
[JsonDerivedType(typeof(SyslogServerReply), "syslogServer")]
[JsonDerivedType(typeof(SyslogClientReply), "syslogClient")]
[JsonDerivedType(typeof(StampLifecyclePlanReply), "stampLifecyclePlan")]
[JsonDerivedType(typeof(StampLifecycleReply), "stampLifecycle")]
[JsonDerivedType(typeof(StampTestReply), "stampTest")]
[JsonDerivedType(typeof(StampLogsReply), "stampLogs")]
[JsonDerivedType(typeof(ActionStartedReply), "actionStarted")]
[JsonDerivedType(typeof(ActionRunningReply), "actionRunning")]
[JsonDerivedType(typeof(ActionStatusReply), "actionStatus")]
[JsonDerivedType(typeof(OnDemandLogsReply), "onDemandLogs")]
[JsonDerivedType(typeof(PasswordRecoveryTokenReply), "passwordRecoveryToken")]
[JsonDerivedType(typeof(PasswordRecoveryReply), "passwordRecovery")]
public abstract record BrokerReply
{
    /// <summary>False for the replies that report on work still going on; true for the one that ends the request.</summary>
    [JsonIgnore]
    public virtual bool IsFinal => true;
}
