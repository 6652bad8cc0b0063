using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security;
using Pep.Core.Certificates;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Shares;
using Pep.Core.Stamp.Manifest;

namespace Pep.Gateway.Broker;

/// <summary>
/// Start-SecretRotation's work, done in the gateway, which alone writes the endpoint's TLS key and the stamp's
/// certificates: plans the rotation (or finds the one to resume) for the cmdlet's confirmation, then runs it under the
/// rotation lock, reporting each step, unless another session changed the rotation since the plan was shown.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "A local PFX folder is canonicalised and checked against the deployment's allowed roots (AllowedRoots.Resolve) before it is used.")]
internal sealed class RotationRequests(StateLayout layout, TimeProvider time)
{
    public BrokerReply Rotate(RotateSecretsRequest request, BrokerCall call)
    {
        StampManifest manifest;
        DeploymentConfig config;
        try
        {
            manifest = StampManifest.Load(layout.StampManifest);
            config = DeploymentConfig.Load(layout.ConfigFile);
        }
        catch (StampManifestException e)
        {
            return Failure("StampManifestUnreadable", BrokerErrorCategory.ReadError, layout.StampManifest, e.Message);
        }
        catch (DeploymentException e)
        {
            return Failure("StampConfigurationUnreadable", BrokerErrorCategory.ReadError, layout.ConfigFile, e.Message);
        }

        using SecureString? sharePassword = SecureStrings.FromUtf8(request.SharePassword);
        using SecureString? certificatePassword = SecureStrings.FromUtf8(request.CertificatePassword);
        var rotation = new SecretRotation(layout, config, manifest, time);
        try
        {
            IPfxSource? source = request.PfxFilesPath is null ? null : OpenSource(request, sharePassword, config);
            SecretRotationState? last = SecretRotationState.Load(layout);
            SecretRotationState state = request.ReRun ? Resumable(last, request.Certificates) : Fresh(rotation, last, request.Certificates!.Value, source);
            if (request.CheckOnly)
            {
                string action = request.ReRun
                    ? $"Finish the {state.Kind.ToString().ToLowerInvariant()} secret rotation started {state.StartedUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} (next step {state.NextStep?.Name})"
                    : state.Kind == CertificateKind.Internal ? "Regenerate the internal certificates" : $"Import the external certificates from {source!.Display}";
                return new RotationPlanReply($"stamp {manifest.Name}: {string.Join(", ", state.Certificates)}", action, last?.Id, last?.UpdatedUtc);
            }

            using FileLock held = SecretRotation.Lock(layout, call.Cancellation);
            SecretRotationState? current = SecretRotationState.Load(layout);
            if (current?.Id != request.ExpectedStateId || current?.UpdatedUtc != request.ExpectedStateUpdatedUtc)
            {
                return Failure("SecretRotationInProgress", BrokerErrorCategory.ResourceBusy, null, "Another session changed the secret rotation meanwhile; look at its outcome, then run the command again.");
            }

            var progress = new RotationProgressReport(call);
            state = rotation.RunAsync(state, source, certificatePassword, progress, call.Cancellation).GetAwaiter().GetResult();
            IReadOnlyList<CertificateOutcome> installed = rotation.Installed(state);
            return new RotationReply(
                [.. installed.Select(o => new RotatedCertificateInfo(o.Name, o.Kind.ToString(), o.Thumbprint, o.NotAfterUtc, o.Subject, o.Path))],
                [.. Warnings(installed, config, call.Session.Instance)]);
        }
        catch (RotationRefusal refused)
        {
            return refused.Failure;
        }
        catch (SecretRotationException e)
        {
            return Failure(e.ErrorId, Category(e.ErrorId), Target(e, request), e.Message);
        }
        catch (IOException e)
        {
            return Failure("SecretRotationStateUnreadable", BrokerErrorCategory.ReadError, layout.SecretRotationState, e.Message);
        }
    }

    private static IEnumerable<string> Warnings(IReadOnlyList<CertificateOutcome> installed, DeploymentConfig config, string instance)
    {
        if (installed.FirstOrDefault(o => o.Name == EndpointCertificate.Name) is { } endpoint)
        {
            yield return $"The endpoint now presents a new TLS certificate, SHA-256 thumbprint {endpoint.Thumbprint}. Clients must pin the new one " +
                         $"(New-PepSession -CertificateThumbprint {endpoint.Thumbprint}); the old thumbprint is refused from now on. Sessions already open stay open.";
        }

        if (string.Equals(config.Store?.Kind, StoreSettings.Etcd, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"This instance ({instance}) has its own state directory (store: etcd): copy {string.Join(", ", installed.SelectMany(o => new[] { o.Path, Path.ChangeExtension(o.Path, ".crt") }))} " +
                         "to the same paths on the other instances' hosts (same owner, mode 0600 for .pfx). Their gateways take the new endpoint certificate without a restart; until then they present the old one.";
        }
    }

    private static IPfxSource OpenSource(RotateSecretsRequest request, SecureString? sharePassword, DeploymentConfig config)
    {
        string path = request.PfxFilesPath!;
        if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            SharePath share = SharePath.TryParse(path, out string? error)
                              ?? throw new RotationRefusal(Failure("InvalidSharePath", BrokerErrorCategory.InvalidArgument, path, error!));
            if (request.ShareUser is null || sharePassword is null)
            {
                throw new RotationRefusal(Failure("PathAccessCredentialRequired", BrokerErrorCategory.InvalidArgument, path, "A share needs -PathAccessCredential (an account that may read it)."));
            }

            return new SharePfxSource(share, request.ShareUser, sharePassword, TimeSpan.FromSeconds(config.Transcripts.SmbOperationTimeoutSeconds));
        }

        string folder = AllowedRoots.Resolve(path, config.AllowedOutputRoots)
                        ?? throw new RotationRefusal(Failure("PfxPathNotAllowed", BrokerErrorCategory.PermissionDenied, path,
                            $"'{path}' is neither a share (\\\\server\\share\\folder) nor under an allowed folder ({string.Join(", ", config.AllowedOutputRoots)})."));
        if (!Directory.Exists(folder))
        {
            throw new RotationRefusal(Failure("PfxPathNotFound", BrokerErrorCategory.ObjectNotFound, path, $"The folder '{path}' does not exist."));
        }

        return new LocalPfxSource(path, folder, config.AllowedOutputRoots);
    }

    private static SecretRotationState Resumable(SecretRotationState? last, CertificateKind? kind)
    {
        if (last is null || last.Status == RotationStatus.Completed)
        {
            throw new RotationRefusal(Failure("NoSecretRotationToResume", BrokerErrorCategory.ObjectNotFound, null, "There is no unfinished secret rotation to resume."));
        }

        if (kind is { } asked && asked != last.Kind)
        {
            throw new RotationRefusal(Failure("SecretRotationKindMismatch", BrokerErrorCategory.InvalidOperation, last.Kind.ToString(),
                $"The unfinished rotation is {last.Kind.ToString().ToLowerInvariant()}; resume it with Start-SecretRotation -ReRun{(last.Kind == CertificateKind.Internal ? " -Internal" : string.Empty)}."));
        }

        return last;
    }

    private static SecretRotationState Fresh(SecretRotation rotation, SecretRotationState? last, CertificateKind kind, IPfxSource? source)
    {
        if (last is { Status: not RotationStatus.Completed, ChangedSomething: true })
        {
            throw new RotationRefusal(Failure("SecretRotationPending", BrokerErrorCategory.ResourceExists, last.FailedStep,
                $"The {last.Kind.ToString().ToLowerInvariant()} rotation started {last.StartedUtc.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} already replaced certificates and stopped at step {last.FailedStep ?? last.NextStep?.Name}" +
                $"{(last.Error is null ? string.Empty : " (" + last.Error + ")")}. Finish it first: Start-SecretRotation -ReRun."));
        }

        try
        {
            return rotation.Plan(kind, source?.Display);
        }
        catch (SecretRotationException e)
        {
            throw new RotationRefusal(Failure(e.ErrorId, BrokerErrorCategory.InvalidOperation, kind.ToString(), e.Message));
        }
    }

    private static string? Target(SecretRotationException e, RotateSecretsRequest request) => e.ErrorId switch
    {
        "ShareAccessDenied" or "ShareUnreachable" or "ShareTimedOut" or "PfxFileMissing" or "PfxFilesPathRequired" => request.PfxFilesPath,
        _ => e.Step,
    };

    private static BrokerErrorCategory Category(string errorId) => errorId switch
    {
        "SecretRotationInProgress" => BrokerErrorCategory.ResourceBusy,
        "CertificatePasswordIncorrect" => BrokerErrorCategory.AuthenticationError,
        "ShareAccessDenied" or "PfxPathNotAllowed" => BrokerErrorCategory.PermissionDenied,
        "ShareUnreachable" or "ShareTimedOut" => BrokerErrorCategory.ConnectionError,
        "PfxFileMissing" or "StagedCertificateMissing" or "CertificateNoLongerDeclared" or "RoleNotDeclared" => BrokerErrorCategory.ObjectNotFound,
        "PfxFilesPathRequired" => BrokerErrorCategory.InvalidArgument,
        "CertificateWriteFailed" => BrokerErrorCategory.WriteError,
        "RoleReloadFailed" => BrokerErrorCategory.InvalidResult,
        "StampConfigurationUnreadable" => BrokerErrorCategory.ReadError,
        _ when errorId.StartsWith("Certificate", StringComparison.Ordinal) || errorId.StartsWith("Pfx", StringComparison.Ordinal) => BrokerErrorCategory.InvalidData,
        _ => BrokerErrorCategory.NotSpecified,
    };

    private static BrokerFailure Failure(string id, BrokerErrorCategory category, string? target, string message) => new(id, category, message, target);
}
