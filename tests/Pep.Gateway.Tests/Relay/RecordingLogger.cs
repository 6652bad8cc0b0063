using Microsoft.Extensions.Logging;

namespace Pep.Gateway.Tests.Relay;

/// <summary>Keeps every event the gateway logs, with its level and id.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Message)> _events = [];
    private readonly Dictionary<int, TaskCompletionSource> _awaited = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Message)> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_events)
        {
            _events.Add((logLevel, eventId.Id, formatter(state, exception)));
            Awaited(eventId.Id).TrySetResult();
        }
    }

    /// <summary>Completes when an event with this id has been logged.</summary>
    public Task LoggedAsync(int eventId)
    {
        lock (_events)
        {
            return Awaited(eventId).Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    private TaskCompletionSource Awaited(int eventId)
    {
        if (!_awaited.TryGetValue(eventId, out TaskCompletionSource? awaited))
        {
            awaited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited[eventId] = awaited;
        }

        if (_events.Any(e => e.EventId == eventId))
        {
            awaited.TrySetResult();
        }

        return awaited;
    }
}
