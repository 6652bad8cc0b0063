
namespace Pep.Core.Deployment;

/// <summary>Where things live in a deployment's state directory. The one place that knows these names.</summary>
public sealed class StateLayout
{
    public StateLayout(string root) => Root = Path.GetFullPath(root);

    public string Root { get; }

    public string ConfigFile => Path.Combine(Root, "deployment.json");

    public string AccountDatabase => Path.Combine(Root, "accounts.db");

    public string KeysDirectory => Path.Combine(Root, "keys");

    /// <summary>The stamp key's private half: signs credential records. Only account changes need it.</summary>
    public string StampPrivateKey => Path.Combine(KeysDirectory, "stamp-signing.key");

    /// <summary>The stamp key's public half: every login checks records against it.</summary>
    public string StampPublicKey => Path.Combine(KeysDirectory, "stamp-signing.pub");

    /// <summary>The support authority's public key bundle (break the glass): registered at deployment, replaceable.</summary>
    public string SupportAuthorityBundle => Path.Combine(KeysDirectory, "support-authority.json");

    public string TlsDirectory => Path.Combine(Root, "tls");

    public string TlsCertificatePfx => Path.Combine(TlsDirectory, "endpoint.pfx");

    public string TlsCertificatePem => Path.Combine(TlsDirectory, "endpoint.crt");

    /// <summary>The stamp behind the endpoint: roles, logs, health tests, lifecycle (docs/stamp-manifest.md).</summary>
    public string StampManifest => Path.Combine(Root, "stamp.json");

    /// <summary>The notice every new session shows before its first prompt (Set-AzSLegalNotice).</summary>
    public string LegalNotice => Path.Combine(Root, "legal-notice.json");

    /// <summary>Progress of the last secret rotation, so that Start-SecretRotation -ReRun can resume it.</summary>
    public string SecretRotationState => Path.Combine(Root, "secret-rotation.json");

    /// <summary>New certificates waiting to be installed by the rotation in progress (0700, emptied when it completes).</summary>
    public string SecretRotationStaging => Path.Combine(Root, "secret-rotation");

    public string InstanceDirectory(string instance) => Path.Combine(Root, "instances", instance.ToUpperInvariant());

    public string InstancePrivateKey(string instance) => Path.Combine(InstanceDirectory(instance), "instance-signing.key");

    public string InstancePublicKey(string instance) => Path.Combine(InstanceDirectory(instance), "instance-signing.pub");

    /// <summary>The highest version of each account record this instance has seen (<c>AccountVersionFloor</c>): its own, never shared.</summary>
    public string AccountVersionFloor(string instance) => Path.Combine(InstanceDirectory(instance), "account-versions.db");

    /// <summary>Transcripts of this instance's sessions that have not yet left the box.</summary>
    public string TranscriptDirectory(string instance) => Path.Combine(InstanceDirectory(instance), "transcripts");

    /// <summary>
    /// What the gateway itself records about each session (its header, host, end, seal state and the record of the
    /// remoting messages it relayed), one folder per session beside the live transcript folders but out of them: the
    /// session host writes its live folder, and nothing there is trusted when the session is sealed.
    /// </summary>
    public string GatewayRecordDirectory(string instance) => Path.Combine(InstanceDirectory(instance), "gateway-records");

    /// <summary>Per-session working files (the session configuration); nothing here outlives its session.</summary>
    public string RuntimeDirectory(string instance) => Path.Combine(InstanceDirectory(instance), "runtime");

    /// <summary>
    /// One session host's own working folder: its configuration, hand-over, home and temporary files. With separation
    /// only that host's account (by its group) and the gateway may enter it.
    /// </summary>
    public string SessionRuntimeDirectory(string instance, Guid sessionId) => Path.Combine(RuntimeDirectory(instance), sessionId.ToString("N"));
}
