using System.Text.Json;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Certificates;

/// <summary>
/// The progress of the last secret rotation, kept in <c>secret-rotation.json</c> and rewritten (atomically)
/// after every step, so that <c>Start-SecretRotation -ReRun</c> continues where a failed one stopped. It
/// names the source of imported certificates but holds no credential and no password.
/// </summary>
public sealed record SecretRotationState
{
    public int Schema { get; init; } = 1;

    public required Guid Id { get; init; }

    public required CertificateKind Kind { get; init; }

    /// <summary>Where external certificates came from (share or folder), for the operator; null for internal ones.</summary>
    public string? Source { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public DateTimeOffset UpdatedUtc { get; init; }

    public RotationStatus Status { get; init; } = RotationStatus.InProgress;

    /// <summary>The certificates this rotation replaces, in order.</summary>
    public required IReadOnlyList<string> Certificates { get; init; }

    public required IReadOnlyList<RotationStep> Steps { get; init; }

    public string? FailedStep { get; init; }

    /// <summary>Why it failed, as told to the operator (never a secret).</summary>
    public string? Error { get; init; }

    public RotationStep? NextStep => Steps.FirstOrDefault(s => !s.Done);

    /// <summary>Whether a certificate was already swapped in: then the rotation must be finished (-ReRun), not abandoned.</summary>
    public bool ChangedSomething => Steps.Any(s => s.Done && s.Verb == RotationStep.Install);

    public SecretRotationState WithStepDone(string name, DateTimeOffset now)
    {
        RotationStep[] steps = [.. Steps.Select(s => s.Name == name ? s with { Done = true } : s)];
        bool complete = steps.All(s => s.Done);
        return this with
        {
            Steps = steps,
            UpdatedUtc = now,
            Status = complete ? RotationStatus.Completed : RotationStatus.InProgress,
            FailedStep = null,
            Error = null,
        };
    }

    public SecretRotationState WithFailure(string step, string error, DateTimeOffset now)
        => this with { Status = RotationStatus.Failed, FailedStep = step, Error = error, UpdatedUtc = now };

    /// <summary>The last rotation, or null when there has been none.</summary>
    public static SecretRotationState? Load(StateLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!File.Exists(layout.SecretRotationState))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<SecretRotationState>(File.ReadAllText(layout.SecretRotationState), JsonFiles.Options);
        }
        catch (JsonException e)
        {
            throw new IOException($"'{layout.SecretRotationState}' is damaged: {e.Message}", e);
        }
    }

    public void Save(StateLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        AtomicFile.WriteAllBytes(layout.SecretRotationState, JsonSerializer.SerializeToUtf8Bytes(this, JsonFiles.Options));
    }
}
