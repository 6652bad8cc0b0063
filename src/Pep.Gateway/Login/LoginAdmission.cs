using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Deployment;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Login;

/// <summary>
/// How many logins the instance works on at once: at most <see cref="GatewayLimits.MaxConcurrentLogins"/> verified (in
/// turn by source, <see cref="FairLoginQueue"/>)
/// and <see cref="GatewayLimits.MaxConcurrentHostStarts"/> cold hosts starting. Waiting for both shares one budget,
/// <see cref="LoginTimings.GatewayAdmissionWait"/>; past it the client is told the instance is busy.
/// </summary>
internal sealed class LoginAdmission(AccountService accounts, FairLoginQueue verifications, GatewayLimits limits) : IDisposable
{
    private readonly SemaphoreSlim _hostStarts = new(limits.MaxConcurrentHostStarts);

    public static AdmissionDeadline StartWaiting() => new(LoginTimings.GatewayAdmissionWait);

    /// <summary>
    /// Verifies a login when a slot of the fair queue frees up in time (sources served in turn, so a flood from
    /// one source waits behind itself); null when none does.
    /// </summary>
    public Task<LoginResult?> AuthenticateAsync(string userText, string password, string source, AdmissionDeadline admission, CancellationToken aborted)
        => AuthenticateAsync(userText, password, source, relogin: null, admission, aborted);

    /// <summary>As the other overload, for a login that may use and receive a re-login ticket (<see cref="AccountService.Authenticate(string, string, string?, ReloginAttempt?)"/>).</summary>
    public async Task<LoginResult?> AuthenticateAsync(string userText, string password, string source, ReloginAttempt? relogin, AdmissionDeadline admission, CancellationToken aborted)
    {
        using IDisposable? slot = await verifications.EnterAsync(source, admission.Remaining, aborted);
        if (slot is null)
        {
            return null;
        }

        return await Task.Run(() => accounts.Authenticate(userText, password, source, relogin), aborted);
    }

    /// <summary>A slot to start a cold host in, when one frees up in time; null when none does.</summary>
    public Task<HostStartSlot?> TakeHostStartSlotAsync(AdmissionDeadline admission, CancellationToken aborted)
        => HostStartSlot.TryTakeAsync(_hostStarts, admission.Remaining, aborted);

    public void Dispose()
    {
        _hostStarts.Dispose();
    }
}
