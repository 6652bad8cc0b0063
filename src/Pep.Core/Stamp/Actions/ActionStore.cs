using System.Text.Json;
using System.Text.Json.Serialization;
using Pep.Core.Storage;

namespace Pep.Core.Stamp.Actions;

/// <summary>
/// Tracked actions in the deployment's shared settings (SQLite or etcd, the store the account and settings requests
/// use), so that every instance sees every action: one JSON value per action under <c>actions/records/</c>, and the
/// stamp's lifecycle claim (<c>actions/lifecycle</c>: the id of the one Start-AzureStack or Stop-AzureStack that may run, empty when none),
/// taken and released with compare-and-swap so two instances cannot both take it.
/// </summary>
public sealed class ActionStore(ISettingsStore settings)
{
    public const string RecordPrefix = "actions/records/";

    public const string LifecycleClaimKey = "actions/lifecycle";

    /// <summary>Finished actions kept; older ones are removed when a new action starts.</summary>
    public const int KeptFinished = 200;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public void Save(ActionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        settings.Set(RecordPrefix + record.Id, JsonSerializer.Serialize(record, Json));
    }

    public ActionRecord? Get(string id)
        => settings.Get(RecordPrefix + SettingKey.Check(id)) is { } value ? Parse(value.Value) : null;

    /// <summary>Every action, newest first; a value that does not parse is left out (written by something else).</summary>
    public IReadOnlyList<ActionRecord> List()
        => [.. settings.List(RecordPrefix).Values.Select(Parse).OfType<ActionRecord>().OrderByDescending(r => r.StartedUtc)];

    /// <summary>
    /// Takes the stamp's lifecycle claim for <paramref name="actionId"/>: true when nobody holds it, or when its holder is
    /// no longer running (ended, interrupted, or gone from the store). False, with the running holder, otherwise.
    /// </summary>
    public bool TryClaimLifecycle(string actionId, out ActionRecord? holder)
    {
        holder = null;
        SettingValue? claim = settings.Get(LifecycleClaimKey);
        if (claim is { Value.Length: > 0 } && Get(claim.Value) is { IsRunning: true } running)
        {
            holder = running;
            return false;
        }

        if (settings.TrySet(LifecycleClaimKey, actionId, claim?.Version ?? 0))
        {
            return true;
        }

        // Another instance took it between the read and the write: that one runs.
        holder = settings.Get(LifecycleClaimKey) is { Value.Length: > 0 } now ? Get(now.Value) : null;
        return false;
    }

    /// <summary>Releases the claim (leaves it empty) if <paramref name="actionId"/> still holds it.</summary>
    public void ReleaseLifecycle(string actionId)
    {
        if (settings.Get(LifecycleClaimKey) is { } claim && claim.Value == actionId)
        {
            // Compare-and-swap on the version read: a claim taken meanwhile by a newer action stays.
            settings.TrySet(LifecycleClaimKey, string.Empty, claim.Version);
        }
    }

    /// <summary>
    /// Marks every action of <paramref name="instance"/> still recorded as running Interrupted: called when that
    /// instance's gateway starts, before it holds any action, so they are the ones a previous run left. Returns them.
    /// </summary>
    public IReadOnlyList<ActionRecord> InterruptLeftovers(string instance, DateTime nowUtc)
    {
        var interrupted = new List<ActionRecord>();
        foreach (ActionRecord record in List().Where(r => r.IsRunning && string.Equals(r.Instance, instance, StringComparison.OrdinalIgnoreCase)))
        {
            ActionRecord ended = Interrupt(record, nowUtc, $"The gateway of {instance} stopped before the action ended; what it had done is not known.");
            interrupted.Add(ended);
            ReleaseLifecycle(record.Id);
        }

        return interrupted;
    }

    /// <summary>Records the action as interrupted and returns it so.</summary>
    public ActionRecord Interrupt(ActionRecord record, DateTime nowUtc, string why)
    {
        ArgumentNullException.ThrowIfNull(record);
        ActionRecord ended = record with { State = ActionState.Interrupted, EndedUtc = nowUtc, Summary = why, ErrorId = "ActionInterrupted" };
        Save(ended);
        return ended;
    }

    /// <summary>Removes an action that was refused before it ran (another held the stamp's lifecycle claim).</summary>
    public void Forget(string id) => settings.Remove(RecordPrefix + SettingKey.Check(id));

    /// <summary>Removes the oldest finished actions beyond <see cref="KeptFinished"/>.</summary>
    public void Prune()
    {
        foreach (ActionRecord old in List().Where(r => !r.IsRunning).Skip(KeptFinished))
        {
            settings.Remove(RecordPrefix + old.Id);
        }
    }

    private static ActionRecord? Parse(string value)
    {
        try
        {
            return JsonSerializer.Deserialize<ActionRecord>(value, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
