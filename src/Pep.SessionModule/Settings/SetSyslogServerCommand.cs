using System.Management.Automation;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Settings;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-SyslogServer, with the original's parameters: every instance forwards its security events (CEF) to the server,
/// over TCP with TLS by default, checking the server's certificate and name (-SkipCertificateCheck, -SkipCNCheck opt
/// out), over plain TCP (-NoEncryption) or UDP (-UseUDP); -Remove stops forwarding. Kept in the deployment's shared
/// settings by the gateway; in effect on every instance within seconds, without a restart. No prompt, as the original.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SyslogServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SetSet)]
[OutputType(typeof(SyslogServerSettings))]
public sealed class SetSyslogServerCommand : StampCmdlet
{
    private const string SetSet = "Set";
    private const string RemoveSet = "Remove";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SetSet)]
    [ValidateLength(1, SyslogServerSetting.MaxServerNameLength)]
    public string ServerName { get; set; } = string.Empty;

    [Parameter(Position = 2, ParameterSetName = SetSet)]
    [ValidateRange(1, 65535)]
    public int ServerPort { get; set; } = SyslogServerSetting.DefaultPort;

    [Parameter(ParameterSetName = SetSet)]
    public SwitchParameter NoEncryption { get; set; }

    [Parameter(ParameterSetName = SetSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter(ParameterSetName = SetSet)]
    public SwitchParameter SkipCNCheck { get; set; }

    [Parameter(ParameterSetName = SetSet)]
    public SwitchParameter UseUDP { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = RemoveSet)]
    public SwitchParameter Remove { get; set; }

    internal static SyslogServerSettings Shown(SyslogServerReply server)
        => new(server.Configured, server.ServerName, server.ServerPort, server.Transport, server.SkipCertificateCheck, server.SkipCNCheck);

    protected override void EndProcessing()
    {
        const string target = "syslog forwarding of every instance";
        if (Remove)
        {
            if (ShouldProcess(target, "Remove the syslog server"))
            {
                WriteObject(Shown(Ask<SyslogServerReply>(new SetSyslogServerRequest(string.Empty, 0, false, false, false, false, Remove: true))));
            }

            return;
        }

        if ((UseUDP || NoEncryption) && (SkipCertificateCheck || SkipCNCheck))
        {
            Fail("SyslogOptionsConflict", ErrorCategory.InvalidArgument, ServerName,
                "-SkipCertificateCheck and -SkipCNCheck apply to TLS only; they cannot be given with -NoEncryption or -UseUDP.");
        }

        SyslogTransport transport = UseUDP ? SyslogTransport.Udp : NoEncryption ? SyslogTransport.Tcp : SyslogTransport.Tls;
        if (new SyslogServerSetting(ServerName, ServerPort, transport, SkipCertificateCheck, SkipCNCheck).Check() is { } problem)
        {
            Fail("InvalidSyslogServer", ErrorCategory.InvalidArgument, ServerName, problem);
        }

        if (!ShouldProcess(target, $"Forward to {ServerName}:{ServerPort} over {transport.ToString().ToUpperInvariant()}"))
        {
            return;
        }

        SyslogServerReply set = Ask<SyslogServerReply>(new SetSyslogServerRequest(ServerName, ServerPort, NoEncryption, SkipCertificateCheck, SkipCNCheck, UseUDP, Remove: false));
        WriteObject(Shown(set));
    }
}
