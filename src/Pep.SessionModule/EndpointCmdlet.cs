using System.Management.Automation;

namespace Pep.SessionModule;

/// <summary>
/// Base of every endpoint cmdlet: a cancellation token that Ctrl+C (StopProcessing) cancels, and the
/// session's identity as the gateway established it.
/// </summary>
public abstract class EndpointCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <summary>This session: who, where, and the deployment it belongs to.</summary>
    protected static EndpointSession Session => EndpointSession.Current;

    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Ends the command with an error record: a specific id, the right category and the offending value.</summary>
    protected void Fail(string errorId, ErrorCategory category, object? target, string message, Exception? inner = null)
        => ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target));

    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
