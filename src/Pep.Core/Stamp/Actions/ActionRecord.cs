using System.Text.Json.Serialization;

namespace Pep.Core.Stamp.Actions;

/// <summary>
/// A long operation the gateway holds (Start-AzureStack, Stop-AzureStack, Start-SecretRotation, log collection), as
/// every instance of the deployment sees it in the shared store: its id, the cmdlet that started it, who and on which
/// instance, when it started and ended, its state, its last progress, and a one-line summary of its result or error.
/// </summary>
public sealed record ActionRecord(
    string Id,
    string FunctionName,
    string User,
    string Instance,
    Guid SessionId,
    DateTime StartedUtc,
    DateTime? EndedUtc,
    ActionState State,
    string Progress,
    int PercentComplete,
    string? Summary,
    string? ErrorId)
{
    /// <summary>A new running action, with an id of 32 hex digits (a store key's plain alphabet).</summary>
    public static ActionRecord Start(string functionName, string user, string instance, Guid sessionId, DateTime startedUtc)
        => new(Guid.NewGuid().ToString("N"), functionName, user, instance, sessionId, startedUtc, null, ActionState.Running, "Started", 0, null, null);

    [JsonIgnore]
    public bool IsRunning => State == ActionState.Running;
}
