using System.Threading.Channels;
using Pep.Gateway.Relay;

namespace Pep.Gateway.Tests.Relay;

/// <summary>
/// A session host the test scripts: what it "prints" on its output and diagnostic streams is what the test
/// sends, and it records what the relay writes to it and how it was ended. Exiting closes both streams, as a
/// process's death closes its pipes.
/// </summary>
internal sealed class ScriptedSessionHost : ISessionHost
{
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _diagnostics = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _written = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _events = [];
    private int _exitCode = -1;

    public int ExitCode => Volatile.Read(ref _exitCode);

    /// <summary>"input ended", "killed", in the order the relay did them.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void Print(string line) => _output.Writer.TryWrite(line);

    public void Signal(string line) => _diagnostics.Writer.TryWrite(line);

    public void Exit(int code)
    {
        Interlocked.CompareExchange(ref _exitCode, code, -1);
        _output.Writer.TryComplete();
        _diagnostics.Writer.TryComplete();
        _exited.TrySetResult();
    }

    /// <summary>The next line the relay wrote to this host.</summary>
    public async Task<string> NextWrittenAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _written.Reader.ReadAsync(timeout.Token);
    }

    public bool TryTakeWritten(out string? line) => _written.Reader.TryRead(out line);

    public async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        if (_exited.Task.IsCompleted)
        {
            throw new IOException("The host has exited.");
        }

        await _written.Writer.WriteAsync(line, cancellationToken);
    }

    public Task CloseSessionAsync(CancellationToken cancellationToken) => WriteLineAsync(OutOfProcessPackets.CloseSession, cancellationToken);

    public string? ReadLine()
        => _output.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult() && _output.Reader.TryRead(out string? line) ? line : null;

    public async Task<string?> ReadDiagnosticLineAsync(CancellationToken cancellationToken)
        => await _diagnostics.Reader.WaitToReadAsync(cancellationToken) && _diagnostics.Reader.TryRead(out string? line) ? line : null;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _exited.Task.WaitAsync(cancellationToken);

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
        => await Task.WhenAny(_exited.Task, Task.Delay(limit)) == _exited.Task;

    public Task EndInputAsync(TimeSpan grace)
    {
        Record("input ended");
        return Task.CompletedTask;
    }

    public void Kill()
    {
        Record("killed");
        Exit(137);
    }

    private void Record(string what)
    {
        lock (_events)
        {
            _events.Add(what);
        }
    }
}
