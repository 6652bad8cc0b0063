using System.Threading.Channels;
using Pep.Core.Contracts.Broker;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Tests.Broker;

/// <summary>
/// A broker handler the test scripts: it records each request with the session it was served for, reports one
/// progress line, and, while <see cref="Hold"/> is set, waits for the test to release it or for the request's
/// cancellation (which it records).
/// </summary>
internal sealed class ScriptedBrokerHandler : IBrokerHandler
{
    private readonly Channel<(BrokerRequest Request, Guid Session)> _entered = Channel.CreateUnbounded<(BrokerRequest, Guid)>();

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While set, requests wait for it to complete.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completes when a held request has seen its cancellation.</summary>
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next request the handler started on, and the session it was for.</summary>
    public async Task<(BrokerRequest Request, Guid Session)> NextEnteredAsync()
        => await _entered.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20));

    public async Task<BrokerReply> HandleAsync(BrokerRequest request, BrokerCall call)
    {
        await _entered.Writer.WriteAsync((request, call.Session.SessionId));
        call.Report(new BrokerProgress("working", 50, -1));
        if (Hold is { } hold)
        {
            try
            {
                await hold.Task.WaitAsync(call.Cancellation);
            }
            catch (OperationCanceledException)
            {
                Cancelled.TrySetResult();
                throw;
            }
        }

        return new DoneReply($"done for {call.Session.SessionId}");
    }

    public TimeSpan TimeoutFor(BrokerRequest request) => Timeout;
}
