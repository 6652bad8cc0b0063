namespace Pep.Gateway.Recording;

/// <summary>Which way a relayed line went.</summary>
internal enum RelayDirection
{
    ClientToHost,
    HostToClient,
}
