using System.Management.Automation;
using System.Management.Automation.Runspaces;
using Pep.ClientModule.Transport;

namespace Pep.ClientModule.Commands;

/// <summary>
/// Shows the stamp's legal notice when a session opens, before its first prompt, caption and text as a warning. The
/// gateway hands it over with the session and records that in its record of the session (<see cref="DeliveredLegalNotice"/>);
/// from a gateway that does not, it asks the endpoint (Get-AzSLegalNotice, in the session's transcript), which costs a
/// round trip more. An endpoint without the cmdlet, or without a notice, shows nothing.
/// </summary>
internal static class LegalNoticeDisplay
{
    public static void Show(Runspace runspace, DeliveredLegalNotice? delivered, Cmdlet cmdlet)
    {
        (string? caption, string? text) = delivered is not null ? (delivered.Caption, delivered.Text) : Ask(runspace);
        if (!string.IsNullOrWhiteSpace(caption) || !string.IsNullOrWhiteSpace(text))
        {
            cmdlet.WriteWarning($"{caption}{Environment.NewLine}{text}".Trim());
        }
    }

    private static (string? Caption, string? Text) Ask(Runspace runspace)
    {
        try
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Get-AzSLegalNotice");
            PSObject? notice = shell.Invoke().FirstOrDefault();
            return (notice?.Properties["Caption"]?.Value as string, notice?.Properties["Text"]?.Value as string);
        }
        catch (RuntimeException)
        {
            // An endpoint without legal notices: nothing to show.
            return (null, null);
        }
    }
}
