using System.Globalization;
using System.Management.Automation;
using Pep.Core.Deployment;
using Pep.Core.Platform;
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

    /// <summary>
    /// A new folder (0750) for a command's output, under the folder the user asked for or, by default, the first
    /// allowed output root; the folder asked for must lie under an allowed root (<see cref="AllowedRoots"/>).
    /// </summary>
    protected string CreateOutputFolder(DeploymentConfig config, string? requested, string namePrefix)
    {
        ArgumentNullException.ThrowIfNull(config);
        requested ??= config.AllowedOutputRoots.Count > 0 ? config.AllowedOutputRoots[0] : null;
        if (requested is null)
        {
            Fail("NoOutputRoot", ErrorCategory.InvalidOperation, null, "This deployment allows no local output (allowedOutputRoots in deployment.json is empty).");
        }

        string? resolved = AllowedRoots.Resolve(requested, config.AllowedOutputRoots);
        if (resolved is null)
        {
            Fail("OutputPathNotAllowed", ErrorCategory.PermissionDenied, requested,
                $"'{requested}' is not under an allowed output folder. Allowed: {string.Join(", ", config.AllowedOutputRoots)}.");
        }

        if (!Directory.Exists(resolved))
        {
            Fail("OutputPathNotFound", ErrorCategory.ObjectNotFound, requested, $"The folder '{requested}' does not exist.");
        }

        string stamp = TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string folder = Path.Combine(resolved, $"{namePrefix}-{stamp}-{Guid.NewGuid().ToString("N")[..6]}");
        PrivateDirectory.CreateGroupReadable(folder);
        return folder;
    }
}
