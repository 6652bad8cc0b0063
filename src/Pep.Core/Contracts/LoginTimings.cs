namespace Pep.Core.Contracts;

/// <summary>
/// How long a login may take, on each side. The gateway must answer (admitted, or busy) before the client
/// stops waiting, or a login the gateway admits late is one the client has already abandoned: so
/// <see cref="GatewayAdmissionWait"/> stays below <see cref="ClientLoginAllowance"/> (a unit test holds them to it).
/// </summary>
public static class LoginTimings
{
    /// <summary>
    /// How long a login may wait in all at the gateway, for a verification slot and then for a host start slot,
    /// before it is told the endpoint is busy. Each verification is deliberately slow (PBKDF2, 600,000
    /// iterations); 50 logins at once on two cores queued for more than the 10 s this once was, and 40 of them
    /// were refused (bench/README.md, figure 4).
    /// </summary>
    public static readonly TimeSpan GatewayAdmissionWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the client lets an instance that accepted the connection (TCP and TLS, within the connect
    /// timeout) take to answer the login. An instance that is down or silent is still passed over within the
    /// connect timeout.
    /// </summary>
    public static readonly TimeSpan ClientLoginAllowance = TimeSpan.FromSeconds(75);

    /// <summary>How long the client lets an instance that answered the login take to start its session host and open the runspace.</summary>
    public static readonly TimeSpan ClientSessionStartAllowance = TimeSpan.FromSeconds(60);
}
