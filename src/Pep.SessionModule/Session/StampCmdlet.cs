using System.Management.Automation;
using Pep.Core.Stamp.Manifest;

namespace Pep.SessionModule.Session;

/// <summary>
/// Base of the cmdlets that act on the stamp behind the endpoint: loads the manifest and the deployment
/// settings (fresh on every call, so changes show at once), and waits for background work on the pipeline
/// thread, which is the only one that writes.
/// </summary>
public abstract class StampCmdlet : EndpointCmdlet
{
    private static readonly TimeSpan ProgressTick = TimeSpan.FromMilliseconds(200);

    protected StampManifest LoadManifest()
    {
        try
        {
            return StampManifest.Load(Session.Layout.StampManifest);
        }
        catch (StampManifestException e)
        {
            Fail("StampManifestUnreadable", ErrorCategory.ReadError, Session.Layout.StampManifest, e.Message, e);
            throw;
        }
    }

    /// <summary>Blocks the pipeline thread until the task ends, calling <paramref name="tick"/> on it meanwhile (progress).</summary>
    protected static T WaitOnPipeline<T>(Task<T> task, Action? tick = null)
    {
        WaitOnPipeline((Task)task, tick);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks the pipeline thread until the task ends; its exception, if any, is rethrown as it is (not aggregated).</summary>
    protected static void WaitOnPipeline(Task task, Action? tick = null)
    {
        while (!task.IsCompleted)
        {
            ((IAsyncResult)task).AsyncWaitHandle.WaitOne(ProgressTick);
            tick?.Invoke();
        }

        task.GetAwaiter().GetResult();
    }

    /// <summary>A line for the operator's console, as Write-Host writes it (information stream, shown and transcribed).</summary>
    protected void WriteHostLine(string text)
        => WriteInformation(new HostInformationMessage { Message = text, NoNewLine = false }, ["PSHOST"]);

    protected void CompleteProgress(int activityId, string activity)
        => Progress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });
}
