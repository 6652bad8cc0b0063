using System.Text.Json.Serialization;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// What a session host asks its gateway to do: the privileged work its session's cmdlets need (accounts signed with
/// the stamp key, shared settings, sealing and delivering transcripts). A request never names the session it acts
/// for: the gateway knows that by the socket it came on. The gateway checks every field again
/// (<see cref="Validate"/> and its own rules); nothing the host checked is trusted.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ListAccountsRequest), "listAccounts")]
[JsonDerivedType(typeof(NewAccountRequest), "newAccount")]
[JsonDerivedType(typeof(RemoveAccountRequest), "removeAccount")]
[JsonDerivedType(typeof(SetAccountPasswordRequest), "setAccountPassword")]
[JsonDerivedType(typeof(ListSshKeysRequest), "listSshKeys")]
[JsonDerivedType(typeof(AddSshKeyRequest), "addSshKey")]
[JsonDerivedType(typeof(RemoveSshKeyRequest), "removeSshKey")]
[JsonDerivedType(typeof(GetLegalNoticeRequest), "getLegalNotice")]
[JsonDerivedType(typeof(SetLegalNoticeRequest), "setLegalNotice")]
[JsonDerivedType(typeof(GetDnsForwardersRequest), "getDnsForwarders")]
[JsonDerivedType(typeof(SetDnsForwardersRequest), "setDnsForwarders")]
[JsonDerivedType(typeof(GetTlsPolicyRequest), "getTlsPolicy")]
[JsonDerivedType(typeof(SetTlsPolicyRequest), "setTlsPolicy")]
[JsonDerivedType(typeof(GetDnsServerSettingsRequest), "getDnsServerSettings")]
[JsonDerivedType(typeof(SetDnsServerSettingsRequest), "setDnsServerSettings")]
[JsonDerivedType(typeof(RegisterCustomDnsServerRequest), "registerCustomDnsServer")]
[JsonDerivedType(typeof(SetBmcCredentialRequest), "setBmcCredential")]
[JsonDerivedType(typeof(CloseSessionRequest), "closeSession")]
[JsonDerivedType(typeof(RotateSecretsRequest), "rotateSecrets")]
[JsonDerivedType(typeof(GetSyslogServerRequest), "getSyslogServer")]
[JsonDerivedType(typeof(SetSyslogServerRequest), "setSyslogServer")]
[JsonDerivedType(typeof(GetSyslogClientRequest), "getSyslogClient")]
[JsonDerivedType(typeof(SetSyslogClientRequest), "setSyslogClient")]
[JsonDerivedType(typeof(PlanStampLifecycleRequest), "planStampLifecycle")]
[JsonDerivedType(typeof(RunStampLifecycleRequest), "runStampLifecycle")]
[JsonDerivedType(typeof(TestStampRequest), "testStamp")]
[JsonDerivedType(typeof(CollectStampLogsRequest), "collectStampLogs")]
[JsonDerivedType(typeof(CollectClusterLogRequest), "collectClusterLog")]
[JsonDerivedType(typeof(FollowActionRequest), "followAction")]
[JsonDerivedType(typeof(GetActionStatusRequest), "getActionStatus")]
[JsonDerivedType(typeof(GenerateOnDemandLogsRequest), "generateOnDemandLogs")]
[JsonDerivedType(typeof(RequestPasswordRecoveryRequest), "requestPasswordRecovery")]
[JsonDerivedType(typeof(CompletePasswordRecoveryRequest), "completePasswordRecovery")]
[JsonDerivedType(typeof(SupportTokenIssuedRequest), "supportTokenIssued")]
public abstract record BrokerRequest
{
    /// <summary>The longest text the audit log takes from a request.</summary>
    private const int MaxLoggedLength = 100;

    /// <summary>For the audit log: the request's kind and arguments, never a secret, typed text shortened and made one line.</summary>
    public abstract string Describe();

    /// <summary>Null when the fields are within their bounds, else what is wrong (without the values).</summary>
    public virtual string? Validate() => null;

    /// <summary>Overwrites the secrets the request carries (passwords) once they are used.</summary>
    public virtual void ClearSecrets()
    {
    }

    /// <summary>A request shows as its description, so no secret reaches a log or a message through ToString.</summary>
    public sealed override string ToString() => Describe();

    /// <summary>Typed text as the audit log shows it: one line, at most <see cref="MaxLoggedLength"/> characters.</summary>
    protected static string Loggable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string shortened = text.Length > MaxLoggedLength ? text[..MaxLoggedLength] + "..." : text;
        return "'" + string.Concat(shortened.Select(c => char.IsControl(c) ? '?' : c)) + "'";
    }

    /// <summary>Null when <paramref name="text"/> has 1 to <paramref name="max"/> characters, else why not.</summary>
    protected static string? CheckLength(string text, string name, int min, int max)
        => text.Length < min || text.Length > max ? $"{name} must have {min} to {max} characters." : null;

    /// <summary>Null when <paramref name="secret"/> has 1 to <paramref name="max"/> bytes, else why not.</summary>
    protected static string? CheckSecret(byte[] secret, string name, int max)
        => secret.Length is 0 || secret.Length > max ? $"{name} must have 1 to {max} bytes." : null;
}
