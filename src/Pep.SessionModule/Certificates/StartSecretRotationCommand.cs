using System.Globalization;
using System.Management.Automation;
using System.Security;
using Pep.Core.Contracts.Broker;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Actions;
using Pep.SessionModule.Broker;

namespace Pep.SessionModule.Certificates;

/// <summary>
/// Start-SecretRotation: -Internal regenerates the stamp's internal certificates (the endpoint's own TLS
/// certificate first); -PfxFilesPath imports the external ones, one <c>&lt;name&gt;.pfx</c> per certificate the
/// manifest declares, from a share or an allowed folder, every file checked before anything is replaced;
/// -ReRun finishes a rotation that failed or was stopped (docs/secret-rotation.md).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SecretRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ReRunSet)]
[OutputType(typeof(RotatedCertificate), typeof(ActionStatus))]
public sealed class StartSecretRotationCommand : ActionCmdlet
{
    private const int ProgressId = 5;
    private const string Activity = "Start-SecretRotation";
    private const string InternalSet = "Internal";
    private const string ExternalSet = "External";
    private const string ReRunSet = "ReRun";

    [Parameter(ParameterSetName = InternalSet, Mandatory = true)]
    public SwitchParameter Internal { get; set; }

    /// <summary><c>\\server\share\folder</c> or a folder under an allowed root, holding one .pfx per external certificate.</summary>
    [Parameter(ParameterSetName = ExternalSet, Mandatory = true)]
    [ValidateLength(1, 1024)]
    public string? PfxFilesPath { get; set; }

    /// <summary>The account that may read the share; not needed for a local folder.</summary>
    [Parameter(ParameterSetName = ExternalSet)]
    [Credential]
    public PSCredential? PathAccessCredential { get; set; }

    /// <summary>The password of the .pfx files (all of them share one).</summary>
    [Parameter(ParameterSetName = ExternalSet, Mandatory = true)]
    public SecureString? CertificatePassword { get; set; }

    [Parameter(ParameterSetName = InternalSet)]
    [Parameter(ParameterSetName = ExternalSet)]
    [Parameter(ParameterSetName = ReRunSet)]
    public SwitchParameter ReRun { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ReRunSet && !ReRun)
        {
            Fail("SecretRotationKindMissing", ErrorCategory.InvalidArgument, null,
                "Say what to rotate: -Internal (the stamp's own certificates), -PfxFilesPath with -CertificatePassword (external ones) or -ReRun (finish the last rotation).");
        }

        CertificateKind? kind = ParameterSetName switch
        {
            InternalSet => CertificateKind.Internal,
            ExternalSet => CertificateKind.External,
            _ => null,
        };

        // The gateway plans and runs the rotation: it alone writes the endpoint's TLS key and the stamp's certificates.
        // It says first what it would do, so that the operator confirms that; the run is refused if the rotation changed
        // meanwhile.
        RotationPlanReply plan = Ask<RotationPlanReply>(Request(kind, checkOnly: true, plan: null));
        if (!ShouldProcess(plan.Target, plan.Action))
        {
            return;
        }

        if (RunOrStartAction<RotationReply>(Request(kind, checkOnly: false, plan), Activity, ProgressId) is not { } done)
        {
            return;
        }

        foreach (RotatedCertificateInfo certificate in done.Installed)
        {
            WriteObject(new RotatedCertificate(certificate.Name, certificate.Kind, certificate.Thumbprint, certificate.NotAfterUtc, certificate.Subject, certificate.Path));
        }

        foreach (string warning in done.Warnings)
        {
            Warn(warning);
        }

        WriteHostLine(string.Create(CultureInfo.InvariantCulture, $"Secret rotation completed: {done.Installed.Length} certificate(s) replaced."));
    }

    /// <summary>The request, with fresh copies of the passwords (each request wipes its own once sent).</summary>
    private RotateSecretsRequest Request(CertificateKind? kind, bool checkOnly, RotationPlanReply? plan)
        => new(kind, ReRun, PfxFilesPath, PathAccessCredential?.UserName,
            PathAccessCredential is null ? null : SecretBytes.Utf8(PathAccessCredential.Password),
            CertificatePassword is null ? null : SecretBytes.Utf8(CertificatePassword),
            checkOnly, plan?.LastStateId, plan?.LastStateUpdatedUtc);
}
