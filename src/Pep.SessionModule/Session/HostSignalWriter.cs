using System.Text;
using Pep.Core.Contracts;

namespace Pep.SessionModule.Session;

/// <summary>Writes a <see cref="HostSignals"/> line for the gateway.</summary>
internal static class HostSignalWriter
{
    /// <summary>
    /// Written on the process's own standard error: PowerShell's server mode points Console.Error elsewhere
    /// (verified on 7.6.9), and its standard output carries PSRP.
    /// </summary>
    public static void Send(string signal) => TrySend(signal);

    /// <summary>Writes the signal; false when it could not be written (the gateway is gone: the host ends with its session).</summary>
    public static bool TrySend(string signal)
    {
        try
        {
            using Stream diagnostics = Console.OpenStandardError();
            diagnostics.Write(Encoding.UTF8.GetBytes(signal + "\n"));
            diagnostics.Flush();
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
