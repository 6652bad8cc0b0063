namespace Pep.Gateway.SshDoor;

/// <summary>A login sshd authenticated through the gateway (<see cref="SshLoginTickets"/>): who, from where, and how.</summary>
internal sealed record SshLoginTicket(string User, string ClientAddress, long MonitorStartTime, DateTimeOffset IssuedUtc, bool ByKey);
