using Pep.Core.Stamp.Settings;

namespace Pep.Core.Contracts.Broker;

/// <summary>Set-SyslogServer with the original's switches; <see cref="Remove"/> stops forwarding (answered with <see cref="SyslogServerReply"/>).</summary>
public sealed record SetSyslogServerRequest(string ServerName, int ServerPort, bool NoEncryption, bool SkipCertificateCheck, bool SkipCNCheck, bool UseUdp, bool Remove)
    : BrokerRequest
{
    public override string Describe()
        => Remove
            ? "Set-SyslogServer -Remove"
            : $"Set-SyslogServer {Loggable(ServerName)} {ServerPort}{(NoEncryption ? " -NoEncryption" : "")}{(UseUdp ? " -UseUDP" : "")}{(SkipCertificateCheck ? " -SkipCertificateCheck" : "")}{(SkipCNCheck ? " -SkipCNCheck" : "")}";

    public override string? Validate()
        => Remove ? null : CheckLength(ServerName, nameof(ServerName), 1, SyslogServerSetting.MaxServerNameLength);
}
