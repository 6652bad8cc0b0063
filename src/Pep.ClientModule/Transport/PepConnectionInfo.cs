using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Management.Automation.Remoting.Client;
using System.Management.Automation.Runspaces;

namespace Pep.ClientModule.Transport;

/// <summary>
/// How to reach one endpoint instance: PowerShell's public custom-connection point. PowerShell asks it
/// for a transport manager when the runspace opens; Enter-PSSession shows <see cref="ComputerName"/> in
/// the prompt (<c>[ercs01]: PS&gt;</c>).
/// </summary>
public sealed class PepConnectionInfo : RunspaceConnectionInfo
{
    public PepConnectionInfo(EndpointAddress address, PSCredential credential, CertificatePolicy certificatePolicy)
    {
        Address = address;
        Credential = credential;
        CertificatePolicy = certificatePolicy;
    }

    public EndpointAddress Address { get; }

    public CertificatePolicy CertificatePolicy { get; }

    public override string ComputerName
    {
        get => Address.Host;
        set => throw new NotSupportedException("The computer name of a privileged endpoint connection is fixed.");
    }

    public override PSCredential? Credential { get; set; }

    public override AuthenticationMechanism AuthenticationMechanism
    {
        get => AuthenticationMechanism.Basic;
        set => throw new NotSupportedException("The privileged endpoint authenticates with a user name and password over TLS.");
    }

    public override string CertificateThumbprint
    {
        get => string.Empty;
        set => throw new NotSupportedException("Pin the endpoint's certificate with New-PepSession -CertificateThumbprint.");
    }

    /// <summary>Time allowed for TCP and TLS; an instance that got that far has <see cref="WebSocketLineChannel.LoginAllowance"/> more to answer the login.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The legal notice the gateway handed over when the session opened; null when it handed none over.</summary>
    internal DeliveredLegalNotice? DeliveredLegalNotice { get; set; }

    /// <summary>The re-login ticket sent with the login (<see cref="ReloginTicketCache"/>); null: none.</summary>
    internal byte[]? PresentedReloginTicket { get; init; }

    /// <summary>The re-login ticket the gateway answered the login with; null when it gave none.</summary>
    internal byte[]? ReceivedReloginTicket { get; set; }

    public override RunspaceConnectionInfo Clone() => this;

    public override BaseClientSessionTransportManager CreateClientSessionTransportManager(
        Guid instanceId, string sessionName, PSRemotingCryptoHelper cryptoHelper)
        => new PepClientTransportManager(this, instanceId, cryptoHelper);
}
