using System.Globalization;
using System.Management.Automation;
using System.Security;
using Pep.Core.Certificates;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Shares;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Certificates;

/// <summary>
/// Start-SecretRotation: -Internal regenerates the stamp's internal certificates (the endpoint's own TLS
/// certificate first); -PfxFilesPath imports the external ones, one <c>&lt;name&gt;.pfx</c> per certificate the
/// manifest declares, from a share or an allowed folder, every file checked before anything is replaced;
/// -ReRun finishes a rotation that failed or was stopped (docs/secret-rotation.md).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "SecretRotation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ReRunSet)]
[OutputType(typeof(RotatedCertificate))]
public sealed class StartSecretRotationCommand : StampCmdlet
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

        StampManifest manifest = LoadManifest();
        DeploymentConfig config = LoadDeployment();
        StateLayout layout = Session.Layout;
        var rotation = new SecretRotation(layout, config, manifest, TimeProvider.System);
        CertificateKind? kind = ParameterSetName switch
        {
            InternalSet => CertificateKind.Internal,
            ExternalSet => CertificateKind.External,
            _ => null,
        };
        IPfxSource? source = PfxFilesPath is null ? null : OpenSource(config);
        SecretRotationState? last = LoadState(layout);
        SecretRotationState state = ReRun ? Resumable(last, kind) : Fresh(rotation, last, kind!.Value, source);
        string what = ReRun
            ? $"Finish the {state.Kind.ToString().ToLowerInvariant()} secret rotation started {state.StartedUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} (next step {state.NextStep?.Name})"
            : state.Kind == CertificateKind.Internal ? "Regenerate the internal certificates" : $"Import the external certificates from {source!.Display}";
        if (!ShouldProcess($"stamp {manifest.Name}: {string.Join(", ", state.Certificates)}", what))
        {
            return;
        }

        using FileLock held = Acquire(layout);
        SecretRotationState? current = LoadState(layout);
        if (current?.Id != last?.Id || current?.UpdatedUtc != last?.UpdatedUtc)
        {
            Fail("SecretRotationInProgress", ErrorCategory.ResourceBusy, null, "Another session changed the secret rotation meanwhile; look at its outcome, then run the command again.");
        }

        var progress = new QueuedProgress<RotationProgress>();
        try
        {
            state = WaitOnPipeline(rotation.RunAsync(state, source, CertificatePassword, progress, Cancellation), () =>
            {
                foreach (RotationProgress step in progress.Drain())
                {
                    Verbose($"Secret rotation step {step.Step} ({step.Index + 1} of {step.Total}).");
                    Progress(new ProgressRecord(ProgressId, Activity, string.Create(CultureInfo.InvariantCulture, $"{step.Step} ({step.Index + 1} of {step.Total})"))
                    {
                        PercentComplete = step.Index * 100 / step.Total,
                    });
                }
            });
        }
        catch (SecretRotationException e)
        {
            Fail(e.ErrorId, Category(e.ErrorId), Target(e), e.Message, e);
        }
        catch (OperationCanceledException)
        {
            Record("stopped", "Secret rotation stopped by the operator; Start-SecretRotation -ReRun finishes it.");
            throw new PipelineStoppedException();
        }
        finally
        {
            CompleteProgress(ProgressId, Activity);
        }

        Report(rotation.Installed(state), config);
    }

    private void Report(IReadOnlyList<CertificateOutcome> installed, DeploymentConfig config)
    {
        foreach (CertificateOutcome outcome in installed)
        {
            WriteObject(RotatedCertificate.From(outcome));
        }

        if (installed.FirstOrDefault(o => o.Name == EndpointCertificate.Name) is { } endpoint)
        {
            Warn($"The endpoint now presents a new TLS certificate, SHA-256 thumbprint {endpoint.Thumbprint}. Clients must pin the new one " +
                 $"(New-PepSession -CertificateThumbprint {endpoint.Thumbprint}); the old thumbprint is refused from now on. Sessions already open stay open.");
        }

        if (string.Equals(config.Store?.Kind, StoreSettings.Etcd, StringComparison.OrdinalIgnoreCase))
        {
            Warn($"This instance ({Session.Identity.Instance}) has its own state directory (store: etcd): copy {string.Join(", ", installed.SelectMany(o => new[] { o.Path, Path.ChangeExtension(o.Path, ".crt") }))} " +
                 "to the same paths on the other instances' hosts (same owner, mode 0600 for .pfx). Their gateways take the new endpoint certificate without a restart; until then they present the old one.");
        }

        WriteHostLine(string.Create(CultureInfo.InvariantCulture, $"Secret rotation completed: {installed.Count} certificate(s) replaced."));
    }

    private IPfxSource OpenSource(DeploymentConfig config)
    {
        if (PfxFilesPath!.StartsWith(@"\\", StringComparison.Ordinal))
        {
            SharePath? share = SharePath.TryParse(PfxFilesPath, out string? error);
            if (share is null)
            {
                Fail("InvalidSharePath", ErrorCategory.InvalidArgument, PfxFilesPath, error!);
            }

            if (PathAccessCredential is null)
            {
                Fail("PathAccessCredentialRequired", ErrorCategory.InvalidArgument, PfxFilesPath, "A share needs -PathAccessCredential (an account that may read it).");
            }

            return new SharePfxSource(share!, PathAccessCredential!.UserName, PathAccessCredential.Password,
                TimeSpan.FromSeconds(config.Transcripts.SmbOperationTimeoutSeconds));
        }

        string? folder = AllowedRoots.Resolve(PfxFilesPath, config.AllowedOutputRoots);
        if (folder is null)
        {
            Fail("PfxPathNotAllowed", ErrorCategory.PermissionDenied, PfxFilesPath,
                $"'{PfxFilesPath}' is neither a share (\\\\server\\share\\folder) nor under an allowed folder ({string.Join(", ", config.AllowedOutputRoots)}).");
        }

        if (!Directory.Exists(folder))
        {
            Fail("PfxPathNotFound", ErrorCategory.ObjectNotFound, PfxFilesPath, $"The folder '{PfxFilesPath}' does not exist.");
        }

        return new LocalPfxSource(PfxFilesPath, folder!, config.AllowedOutputRoots);
    }

    private SecretRotationState Resumable(SecretRotationState? last, CertificateKind? kind)
    {
        if (last is null || last.Status == RotationStatus.Completed)
        {
            Fail("NoSecretRotationToResume", ErrorCategory.ObjectNotFound, null, "There is no unfinished secret rotation to resume.");
        }

        if (kind is { } asked && asked != last!.Kind)
        {
            Fail("SecretRotationKindMismatch", ErrorCategory.InvalidOperation, last.Kind,
                $"The unfinished rotation is {last.Kind.ToString().ToLowerInvariant()}; resume it with Start-SecretRotation -ReRun{(last.Kind == CertificateKind.Internal ? " -Internal" : string.Empty)}.");
        }

        return last!;
    }

    private SecretRotationState Fresh(SecretRotation rotation, SecretRotationState? last, CertificateKind kind, IPfxSource? source)
    {
        if (last is { Status: not RotationStatus.Completed, ChangedSomething: true })
        {
            Fail("SecretRotationPending", ErrorCategory.ResourceExists, last.FailedStep,
                $"The {last.Kind.ToString().ToLowerInvariant()} rotation started {last.StartedUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} already replaced certificates and stopped at step {last.FailedStep ?? last.NextStep?.Name}" +
                $"{(last.Error is null ? string.Empty : " (" + last.Error + ")")}. Finish it first: Start-SecretRotation -ReRun.");
        }

        try
        {
            return rotation.Plan(kind, source?.Display);
        }
        catch (SecretRotationException e)
        {
            Fail(e.ErrorId, ErrorCategory.InvalidOperation, kind, e.Message, e);
            throw;
        }
    }

    private SecretRotationState? LoadState(StateLayout layout)
    {
        try
        {
            return SecretRotationState.Load(layout);
        }
        catch (IOException e)
        {
            Fail("SecretRotationStateUnreadable", ErrorCategory.ReadError, layout.SecretRotationState, e.Message, e);
            throw;
        }
    }

    private FileLock Acquire(StateLayout layout)
    {
        try
        {
            return SecretRotation.Lock(layout, Cancellation);
        }
        catch (SecretRotationException e)
        {
            Fail(e.ErrorId, ErrorCategory.ResourceBusy, null, e.Message, e);
            throw;
        }
    }

    private string? Target(SecretRotationException e) => e.ErrorId switch
    {
        "ShareAccessDenied" or "ShareUnreachable" or "ShareTimedOut" or "PfxFileMissing" or "PfxFilesPathRequired" => PfxFilesPath,
        _ => e.Step,
    };

    private static ErrorCategory Category(string errorId) => errorId switch
    {
        "CertificatePasswordIncorrect" => ErrorCategory.AuthenticationError,
        "ShareAccessDenied" or "PfxPathNotAllowed" => ErrorCategory.PermissionDenied,
        "ShareUnreachable" or "ShareTimedOut" => ErrorCategory.ConnectionError,
        "PfxFileMissing" or "StagedCertificateMissing" or "CertificateNoLongerDeclared" or "RoleNotDeclared" => ErrorCategory.ObjectNotFound,
        "PfxFilesPathRequired" => ErrorCategory.InvalidArgument,
        "CertificateWriteFailed" => ErrorCategory.WriteError,
        "RoleReloadFailed" => ErrorCategory.InvalidResult,
        "StampConfigurationUnreadable" => ErrorCategory.ReadError,
        _ when errorId.StartsWith("Certificate", StringComparison.Ordinal) || errorId.StartsWith("Pfx", StringComparison.Ordinal) => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
