using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Pep.ClientModule.Commands;

/// <summary>
/// Shows the stamp's legal notice when a session opens, before its first prompt: it asks the endpoint
/// (Get-AzSLegalNotice, so the request is in the session's transcript too) and writes caption and text as
/// a warning. An endpoint without the cmdlet, or without a notice, shows nothing.
/// </summary>
internal static class LegalNoticeDisplay
{
    public static void Show(Runspace runspace, Cmdlet cmdlet)
    {
        try
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Get-AzSLegalNotice");
            PSObject? notice = shell.Invoke().FirstOrDefault();
            string? caption = notice?.Properties["Caption"]?.Value as string;
            string? text = notice?.Properties["Text"]?.Value as string;
            if (!string.IsNullOrWhiteSpace(caption) || !string.IsNullOrWhiteSpace(text))
            {
                cmdlet.WriteWarning($"{caption}{Environment.NewLine}{text}".Trim());
            }
        }
        catch (RuntimeException)
        {
            // An endpoint without legal notices: nothing to show.
        }
    }
}
