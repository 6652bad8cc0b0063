using System.Text.Json.Serialization;
using Pep.Core.Stamp.Actions;

namespace Pep.Core.Contracts.Broker;

/// <summary>
/// The gateway took the work as a tracked action, <see cref="Action"/> as first saved: the cmdlet follows it with
/// <see cref="FollowActionRequest"/>, or, with -AsJob, returns that record at once.
/// </summary>
public sealed record ActionStartedReply(ActionRecord Action) : BrokerReply
{
    [JsonIgnore]
    public string ActionId => Action.Id;
}
