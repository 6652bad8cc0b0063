namespace Pep.Core.Stamp.Settings;

/// <summary>How events reach the syslog server: TCP with TLS (the default), plain TCP (-NoEncryption) or UDP (-UseUDP).</summary>
public enum SyslogTransport
{
    Tls,
    Tcp,
    Udp,
}
