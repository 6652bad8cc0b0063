namespace Pep.Gateway.Admission;

/// <summary>
/// A connection's place among those not yet logged in, set as a connection feature by <see cref="ConnectionGate"/>.
/// The session endpoint releases it when the login succeeds (the session then holds a session slot instead);
/// the gate releases it when the connection closes. Releasing twice is harmless.
/// </summary>
internal sealed class PreAuthLease(Action release) : IDisposable
{
    private int _released;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
