using System.Globalization;
using System.Management.Automation;
using Pep.Core.Sessions;

namespace Pep.SessionModule.WarmStart;

/// <summary>
/// Gives a warm host the culture its login asked for. A cold host takes it from LANG, which .NET reads once at
/// start; a warm host started before the login, so it takes it from the hand-over when the session's runspace
/// imports the module, before any of the session's commands runs.
/// </summary>
public sealed class HandedOverCulture : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        SessionIdentity? identity;
        try
        {
            identity = SessionHandover.TryRead(Environment.GetEnvironmentVariable);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            return; // The session's first endpoint cmdlet refuses to run, with the reason.
        }

        if (identity is null || CultureName.TryResolve(identity.Culture) is not { } culture)
        {
            return;
        }

        CultureInfo.DefaultThreadCurrentCulture = culture;
        CultureInfo.DefaultThreadCurrentUICulture = culture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        Environment.SetEnvironmentVariable("LANG", CultureName.ToPosixLocale(culture));
        Environment.SetEnvironmentVariable("LC_ALL", CultureName.ToPosixLocale(culture));
    }
}
