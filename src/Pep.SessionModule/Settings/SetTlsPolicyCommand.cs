using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-TLSPolicy: which TLS versions the endpoint's HTTPS listeners accept, on every instance, for new connections
/// (open sessions keep theirs). The original's values; TLS_1.3 refuses TLS 1.2 too. No prompt, as the original.
/// </summary>
[Cmdlet(VerbsCommon.Set, "TLSPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(TlsPolicySettings))]
public sealed class SetTlsPolicyCommand : StampCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet(TlsPolicy.Tls12, TlsPolicy.Tls13, TlsPolicy.All)]
    public string Version { get; set; } = string.Empty;

    protected override void EndProcessing()
    {
        string version = TlsPolicy.Normalize(Version)!;
        string protocols = string.Join(" and ", TlsPolicy.Describe(TlsPolicy.Protocols(version)));
        if (!ShouldProcess("TLS policy of every endpoint instance", $"Accept {protocols} on new connections ({version})"))
        {
            return;
        }

        TlsPolicyReply set = Ask<TlsPolicyReply>(new SetTlsPolicyRequest(version));
        WriteObject(new TlsPolicySettings(set.Version, set.Protocols));
    }
}
