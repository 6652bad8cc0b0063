using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Broker;

/// <summary>The broker's own failures, for requests it did not hand to a handler or that did not finish.</summary>
internal static class BrokerFailures
{
    public static BrokerFailure Refused(string reason)
        => new("BrokerRequestRefused", BrokerErrorCategory.InvalidData, $"The endpoint refused the request: {reason}", null);

    public static BrokerFailure Busy(int limit)
        => new("BrokerBusy", BrokerErrorCategory.ResourceBusy, $"This session already has {limit} requests in progress at the endpoint; try again when they are done.", null);

    public static BrokerFailure NotStarted()
        => new("SessionNotStarted", BrokerErrorCategory.InvalidOperation, "This session host has not been given a session yet.", null);

    public static BrokerFailure TimedOut(TimeSpan limit)
        => new("BrokerRequestTimedOut", BrokerErrorCategory.OperationStopped, $"The endpoint did not finish the request within {limit.TotalSeconds:0} s; it was stopped.", null);

    public static BrokerFailure Cancelled()
        => new("BrokerRequestCancelled", BrokerErrorCategory.OperationStopped, "The request was stopped.", null);

    public static BrokerFailure Failed()
        => new("BrokerRequestFailed", BrokerErrorCategory.InvalidOperation, "The endpoint could not do the request; its log has the details.", null);
}
