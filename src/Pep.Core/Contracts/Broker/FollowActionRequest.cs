namespace Pep.Core.Contracts.Broker;

/// <summary>
/// The cmdlet that started an action follows it: the gateway answers within a few seconds, after passing on the
/// action's progress, warnings and verbose lines, with the action's result (or failure) once it has ended, else with
/// <see cref="ActionRunningReply"/> (ask again). Only the session that started the action may follow it.
/// </summary>
public sealed record FollowActionRequest(string ActionId) : BrokerRequest
{
    public override string Describe() => $"follow action {Loggable(ActionId)}";

    public override string? Validate() => ActionIds.Check(ActionId);
}
