using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pep.Core.Deployment;
using Pep.Core.Identities;
using Pep.Core.Platform;
using Pep.Core.Provisioning;
using Pep.Core.Security;
using Pep.Core.Shares;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>
/// Replaces the stamp's certificates step by step (docs/secret-rotation.md). New certificates are first
/// staged (internal: generated; external: every .pfx read and checked, none staged unless all pass), then
/// swapped in one by one, then the roles that use them reload. The state file is rewritten after every
/// step, so a rotation that failed or was stopped continues with -ReRun where it stopped; no step leaves a
/// certificate file half written.
/// </summary>
public sealed class SecretRotation(StateLayout layout, DeploymentConfig config, StampManifest manifest, TimeProvider time)
{
    /// <summary>Held for the whole rotation: instances on one host share the state directory.</summary>
    public static FileLock Lock(StateLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        try
        {
            return FileLock.Acquire(layout.SecretRotationState + ".lock", TimeSpan.Zero, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new SecretRotationException("SecretRotationInProgress", null, "Another session is rotating the stamp's secrets now; wait for it to finish.", e);
        }
    }

    /// <summary>The certificates a rotation of this kind replaces: internal ones start with the endpoint's own.</summary>
    public IReadOnlyList<StampCertificate> Targets(CertificateKind kind)
        => kind == CertificateKind.Internal
            ? [EndpointCertificate.For(layout, config), .. manifest.Certificates.Where(c => c.Kind == CertificateKind.Internal)]
            : [.. manifest.Certificates.Where(c => c.Kind == CertificateKind.External)];

    public SecretRotationState Plan(CertificateKind kind, string? source)
    {
        IReadOnlyList<StampCertificate> targets = Targets(kind);
        if (targets.Count == 0)
        {
            throw new SecretRotationException("NoExternalCertificates", null,
                "The stamp manifest declares no external certificates (\"certificates\" with kind External), so there is nothing to import.");
        }

        var steps = new List<RotationStep>();
        if (kind == CertificateKind.Internal)
        {
            steps.AddRange(targets.Select(t => RotationStep.Of(RotationStep.Create, t.Name)));
        }
        else
        {
            steps.Add(RotationStep.Of(RotationStep.Fetch));
        }

        steps.AddRange(targets.Select(t => RotationStep.Of(RotationStep.Install, t.Name)));
        steps.AddRange(targets.Where(t => t.Role is not null).Select(t => manifest.FindRole(t.Role!)!.Name)
            .Distinct(StringComparer.OrdinalIgnoreCase).Select(r => RotationStep.Of(RotationStep.Reload, r)));
        DateTimeOffset now = time.GetUtcNow();
        return new SecretRotationState
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Source = source,
            StartedUtc = now,
            UpdatedUtc = now,
            Certificates = [.. targets.Select(t => t.Name)],
            Steps = steps,
        };
    }

    /// <summary>Runs every step not yet done, saving the state after each; on failure the state says which step and why.</summary>
    public async Task<SecretRotationState> RunAsync(SecretRotationState state, IPfxSource? source, SecureString? certificatePassword,
        IProgress<RotationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        PrivateDirectory.Create(layout.SecretRotationStaging);
        state = state with { Status = RotationStatus.InProgress, FailedStep = null, Error = null, UpdatedUtc = time.GetUtcNow() };
        state.Save(layout);
        for (int i = 0; i < state.Steps.Count; i++)
        {
            RotationStep step = state.Steps[i];
            if (step.Done)
            {
                continue;
            }

            progress?.Report(new RotationProgress(i, state.Steps.Count, step.Name));
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                await ExecuteAsync(step, state, source, certificatePassword, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                state.WithFailure(step.Name, "Stopped by the operator.", time.GetUtcNow()).Save(layout);
                throw;
            }
            catch (Exception e)
            {
                string errorId = Classify(e);
                state.WithFailure(step.Name, e.Message, time.GetUtcNow()).Save(layout);
                throw new SecretRotationException(errorId, step.Name, $"Step {step.Name} failed: {e.Message} Run Start-SecretRotation -ReRun once the cause is fixed.", e);
            }

            state = state.WithStepDone(step.Name, time.GetUtcNow());
            state.Save(layout);
        }

        Directory.Delete(layout.SecretRotationStaging, recursive: true);
        return state;
    }

    /// <summary>What each certificate of the rotation is now.</summary>
    public IReadOnlyList<CertificateOutcome> Installed(SecretRotationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var outcomes = new List<CertificateOutcome>();
        foreach (StampCertificate target in state.Certificates.Select(n => Target(state.Kind, n)))
        {
            using X509Certificate2? installed = CertificateFiles.ReadInstalled(target);
            if (installed is not null)
            {
                outcomes.Add(new CertificateOutcome(target.Name, target.Kind, TlsCertificate.Sha256Thumbprint(installed), installed.Subject,
                    installed.NotAfter.ToUniversalTime(), target.Path));
            }
        }

        return outcomes;
    }

    private string Staged(string name) => Path.Combine(layout.SecretRotationStaging, name + ".pfx");

    private StampCertificate Target(CertificateKind kind, string name)
        => Targets(kind).FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new SecretRotationException("CertificateNoLongerDeclared", null,
               $"The rotation replaces '{name}', which the stamp manifest no longer declares; restore it or start a new rotation.");

    private async Task ExecuteAsync(RotationStep step, SecretRotationState state, IPfxSource? source, SecureString? password, CancellationToken cancellationToken)
    {
        switch (step.Verb)
        {
            case RotationStep.Create:
                StampCertificate created = Target(state.Kind, step.Object);
                using (X509Certificate2 certificate = created.Name == EndpointCertificate.Name
                           ? DeploymentInitializer.CreateTlsCertificate(config, time)
                           : TlsCertificate.CreateSelfSigned(created.SubjectNames[0], created.SubjectNames, [], time))
                {
                    CertificateFiles.Stage(certificate, Staged(created.Name));
                }

                break;
            case RotationStep.Fetch:
                await FetchAsync(state, source, password, cancellationToken);
                break;
            case RotationStep.Install:
                Install(Target(state.Kind, step.Object));
                break;
            case RotationStep.Reload:
                StampRole role = manifest.FindRole(step.Object) ?? throw new SecretRotationException("RoleNotDeclared", step.Name, $"The stamp has no role '{step.Object}' any more.");
                RoleCommand reload = role.Reload ?? throw new SecretRotationException("RoleReloadFailed", step.Name, $"Role {role.Name} declares no reload command.");
                CommandOutcome outcome = await CommandRunner.RunAsync(reload.Argv, TimeSpan.FromSeconds(reload.TimeoutSeconds), cancellationToken);
                if (!outcome.Succeeded)
                {
                    throw new SecretRotationException("RoleReloadFailed", step.Name, $"Role {role.Name} did not reload ({outcome.Describe()}).");
                }

                break;
            default:
                throw new SecretRotationException("SecretRotationStateInvalid", step.Name, $"'{step.Name}' is not a rotation step.");
        }
    }

    private async Task FetchAsync(SecretRotationState state, IPfxSource? source, SecureString? password, CancellationToken cancellationToken)
    {
        if (source is null || password is null)
        {
            throw new SecretRotationException("PfxFilesPathRequired", RotationStep.Fetch,
                "The certificates have not been read yet: give -PfxFilesPath, -PathAccessCredential and -CertificatePassword again.");
        }

        StampCertificate[] targets = [.. state.Certificates.Select(n => Target(state.Kind, n))];
        IReadOnlyDictionary<string, byte[]> files = await source.ReadAsync([.. targets.Select(t => t.Name + ".pfx")], cancellationToken);
        var accepted = new List<(StampCertificate Target, X509Certificate2 Certificate)>();
        char[] plain = new char[password.Length];
        IntPtr unmanaged = Marshal.SecureStringToGlobalAllocUnicode(password);
        try
        {
            Marshal.Copy(unmanaged, plain, 0, plain.Length);
            foreach (StampCertificate target in targets)
            {
                accepted.Add((target, PfxValidator.Validate(files[target.Name + ".pfx"], plain, target, time.GetUtcNow())));
            }

            // Only when every file passed: a bad one leaves nothing staged and nothing replaced.
            foreach ((StampCertificate target, X509Certificate2 certificate) in accepted)
            {
                CertificateFiles.Stage(certificate, Staged(target.Name));
            }
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(unmanaged);
            Array.Clear(plain);
            foreach (byte[] file in files.Values)
            {
                Array.Clear(file);
            }

            foreach ((_, X509Certificate2 certificate) in accepted)
            {
                certificate.Dispose();
            }
        }
    }

    private void Install(StampCertificate target)
    {
        string staged = Staged(target.Name);
        if (!File.Exists(staged))
        {
            throw new SecretRotationException("StagedCertificateMissing", RotationStep.Of(RotationStep.Install, target.Name).Name,
                $"The new certificate for {target.Name} is no longer staged; start a new rotation.");
        }

        using X509Certificate2 installed = CertificateFiles.Install(staged, target);
        if (target.Name == EndpointCertificate.Name)
        {
            // What pep init printed for operators to pin: keep it true. Re-read so other settings changed meanwhile stay.
            DeploymentConfig current = DeploymentConfig.Load(layout.ConfigFile);
            (current with { TlsCertificateThumbprint = TlsCertificate.Sha256Thumbprint(installed) }).Save(layout.ConfigFile);
            StateOwnership.Reapply(layout, layout.ConfigFile);
        }
    }

    /// <summary>The error id for a failed step; any failure is recorded, so -ReRun always knows where to continue.</summary>
    private static string Classify(Exception e) => e switch
    {
        SecretRotationException rotation => rotation.ErrorId,
        CertificateRejectedException rejected => rejected.ErrorId,
        ShareException share => share.ErrorId,
        IOException or UnauthorizedAccessException => "CertificateWriteFailed",
        CryptographicException => "CertificateCreationFailed",
        DeploymentException => "StampConfigurationUnreadable",
        _ => "SecretRotationFailed",
    };
}
