using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Deployment;

namespace Pep.Gateway.Login;

/// <summary>
/// How many logins the instance works on at once: at most <see cref="GatewayLimits.MaxConcurrentLogins"/> verified
/// and <see cref="GatewayLimits.MaxConcurrentHostStarts"/> cold hosts starting. Waiting for both shares one budget,
/// <see cref="LoginTimings.GatewayAdmissionWait"/>; past it the client is told the instance is busy.
/// </summary>
internal sealed class LoginAdmission(AccountService accounts, GatewayLimits limits) : IDisposable
{
    private readonly SemaphoreSlim _logins = new(limits.MaxConcurrentLogins);
    private readonly SemaphoreSlim _hostStarts = new(limits.MaxConcurrentHostStarts);

    public static AdmissionDeadline StartWaiting() => new(LoginTimings.GatewayAdmissionWait);

    /// <summary>Verifies a login when a verification slot frees up in time; null when none does.</summary>
    public async Task<LoginResult?> AuthenticateAsync(string userText, string password, AdmissionDeadline admission, CancellationToken aborted)
    {
        if (!await _logins.WaitAsync(admission.Remaining, aborted))
        {
            return null;
        }

        try
        {
            return await Task.Run(() => accounts.AuthenticateAsync(userText, password, aborted), aborted);
        }
        finally
        {
            _logins.Release();
        }
    }

    /// <summary>A slot to start a cold host in, when one frees up in time; null when none does.</summary>
    public Task<HostStartSlot?> TakeHostStartSlotAsync(AdmissionDeadline admission, CancellationToken aborted)
        => HostStartSlot.TryTakeAsync(_hostStarts, admission.Remaining, aborted);

    public void Dispose()
    {
        _logins.Dispose();
        _hostStarts.Dispose();
    }
}
