using System.Globalization;
using Pep.Core.Contracts;
using Pep.Core.Sessions;

namespace Pep.SessionModule.WarmStart;

/// <summary>
/// Puts a session host in the UI culture its login asked for (<c>New-PepSession -UICulture</c>: the language of
/// messages and help), apart from its culture (formatting, from the POSIX locale, which gives .NET one locale for
/// both). Run by the endpoint's startup hook, before pwsh's own start, in every host the gateway starts.
/// </summary>
/// <remarks>
/// It has to be this early, which is why a warm host is started for a UI culture as for a culture, and the warm
/// pool matches logins on both, rather than the UI culture following at hand-over: pwsh's start sets its main
/// thread's UI culture explicitly (from .NET's default at that moment), and its server mode handles every PSRP
/// message on a thread-pool item that carries the main thread's execution context, so each runspace and pipeline
/// thread inherits that explicit UI culture. A default set later (<see cref="CultureInfo.DefaultThreadCurrentUICulture"/>
/// at module import, tried first) reaches no pipeline: the session still ran in en-US. Set here, it is the
/// default pwsh's start takes.
/// </remarks>
internal static class SessionUICulture
{
    public static void ApplyFromEnvironment()
    {
        string? name = Environment.GetEnvironmentVariable(SessionHandover.UICultureVariable);
        if (name is null)
        {
            return;
        }

        // Neither variable may reach a program the session starts (the hook would set its UI culture for nothing).
        Environment.SetEnvironmentVariable(SessionHandover.UICultureVariable, null);
        Environment.SetEnvironmentVariable(SessionHandover.StartupHooksVariable, null);

        // The gateway checked the name; a host started by hand with a bad one still gets a culture .NET knows.
        CultureInfo uiCulture = CultureName.TryResolve(name) ?? CultureInfo.GetCultureInfo(WireProtocol.DefaultCulture);
        CultureInfo.DefaultThreadCurrentUICulture = uiCulture;
        CultureInfo.CurrentUICulture = uiCulture;
    }
}
