namespace Pep.Core.Support;

/// <summary>Whether a session is the restricted endpoint or the vendor's full PowerShell.</summary>
public enum SupportSessionState
{
    Locked,
    Elevated,
}
