using System.Management.Automation;
using System.Security;
using Pep.Core.Contracts.Broker;
using Pep.SessionModule.Broker;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Settings;

/// <summary>
/// Set-SyslogClient, with the original's parameters: the client certificate every instance shows a TLS syslog server
/// (-PfxBinary with -CertPassword; -RemoveCertificate) and which events are forwarded (-OutputSeverity Default or
/// Verbose). The PFX and its password go to the gateway as secrets, wiped once used; the gateway keeps the
/// certificate sealed to the stamp key.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SyslogClient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyslogClientSettings))]
public sealed class SetSyslogClientCommand : StampCmdlet
{
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public byte[]? PfxBinary { get; set; }

    [Parameter(Position = 2)]
    public SecureString? CertPassword { get; set; }

    [Parameter]
    public SwitchParameter RemoveCertificate { get; set; }

    [Parameter]
    [ValidateSet("Default", "Verbose")]
    public string? OutputSeverity { get; set; }

    internal static SyslogClientSettings Shown(SyslogClientReply client)
        => new(client.OutputSeverity, client.CertificateSubject, client.CertificateThumbprint, client.CertificateNotAfter);

    protected override void EndProcessing()
    {
        if (PfxBinary is null && !RemoveCertificate && OutputSeverity is null)
        {
            Fail("SyslogClientNothingToSet", ErrorCategory.InvalidArgument, null, "Give -PfxBinary (with -CertPassword), -RemoveCertificate or -OutputSeverity.");
        }

        if (PfxBinary is not null && RemoveCertificate)
        {
            Fail("SyslogOptionsConflict", ErrorCategory.InvalidArgument, "pfxBinary", "A certificate cannot be given and removed at once.");
        }

        if (PfxBinary is { Length: > SetSyslogClientRequest.MaxPfxBytes })
        {
            Fail("SyslogClientCertificateTooLarge", ErrorCategory.InvalidArgument, "pfxBinary", $"The PFX has {PfxBinary.Length} bytes; at most {SetSyslogClientRequest.MaxPfxBytes} are taken.");
        }

        if (CertPassword is not null && PfxBinary is null)
        {
            Fail("SyslogOptionsConflict", ErrorCategory.InvalidArgument, "CertPassword", "-CertPassword goes with -PfxBinary.");
        }

        string change = PfxBinary is not null ? "Set the client certificate" : RemoveCertificate ? "Remove the client certificate" : "Set the output severity";
        if (!ShouldProcess("syslog client of every instance", change + (OutputSeverity is null ? "" : $" (output severity {OutputSeverity})")))
        {
            return;
        }

        // Copies: the request is wiped once sent, and the caller's array is the caller's.
        byte[]? pfx = PfxBinary is null ? null : [.. PfxBinary];
        byte[]? password = CertPassword is null ? null : SecretBytes.Utf8(CertPassword);
        SyslogClientReply set = Ask<SyslogClientReply>(new SetSyslogClientRequest(pfx, password, RemoveCertificate, OutputSeverity));
        WriteObject(Shown(set));
    }
}
