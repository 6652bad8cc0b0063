using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>Get-TLSPolicy: the TLS versions every instance's HTTPS listener accepts, from the deployment's shared settings (through the gateway).</summary>
[Cmdlet(VerbsCommon.Get, "TLSPolicy")]
[OutputType(typeof(TlsPolicySettings))]
public sealed class GetTlsPolicyCommand : StampCmdlet
{
    protected override void EndProcessing()
    {
        TlsPolicyReply policy = Ask<TlsPolicyReply>(new GetTlsPolicyRequest());
        WriteObject(new TlsPolicySettings(policy.Version, policy.Protocols));
    }
}
