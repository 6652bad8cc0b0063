using System.Globalization;
using Pep.Core.Stamp.Actions;

namespace Pep.SessionModule.Actions;

/// <summary>One tracked action as Get-ActionStatus (and a cmdlet given -AsJob) returns it (times in UTC).</summary>
public sealed record ActionStatus(
    string ActionId,
    string FunctionName,
    string ActionType,
    string State,
    string User,
    string Instance,
    DateTime StartedUtc,
    DateTime? EndedUtc,
    string Progress,
    int PercentComplete,
    string? Result,
    string? ErrorId)
{
    public static ActionStatus From(ActionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.FunctionName, ActionTypes.Of(record.FunctionName), record.State.ToString(), record.User, record.Instance,
            DateTime.SpecifyKind(record.StartedUtc, DateTimeKind.Utc), record.EndedUtc is { } ended ? DateTime.SpecifyKind(ended, DateTimeKind.Utc) : null,
            record.Progress, record.PercentComplete, record.Summary, record.ErrorId);
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{FunctionName} {ActionId}: {State} (started {StartedUtc:yyyy-MM-dd HH:mm:ss}Z by {User} on {Instance})");
}
