using System.Diagnostics;
using System.Globalization;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Lifecycle;

/// <summary>
/// Stops or starts one role: runs its declared command, then, if the role declares a status command,
/// waits until the status agrees (exit 0 = running), all before the deadline. Stop-AzureStack and
/// Start-AzureStack call it role by role in the manifest's order.
/// </summary>
public sealed class StampLifecycle(TimeProvider time)
{
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Roles in the order an action handles them: start in manifest order, stop in reverse.</summary>
    public static IReadOnlyList<StampRole> Order(StampManifest manifest, RoleAction action)
        => action == RoleAction.Start ? manifest.StartOrder() : [.. manifest.StartOrder().Reverse()];

    public async Task<RoleLifecycleResult> RunAsync(StampRole role, RoleAction action, DateTimeOffset deadlineUtc, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        RoleCommand? command = action == RoleAction.Stop ? role.Stop : role.Start;
        if (command is null)
        {
            return new RoleLifecycleResult(role.Name, action, true, $"declares no {Verb(action)} command", TimeSpan.Zero);
        }

        TimeSpan remaining = deadlineUtc - time.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            return new RoleLifecycleResult(role.Name, action, false, $"not {Past(action)}: the timeout had passed before its turn", TimeSpan.Zero);
        }

        TimeSpan commandTimeout = TimeSpan.FromSeconds(Math.Min(command.TimeoutSeconds, remaining.TotalSeconds));
        CommandOutcome outcome = await CommandRunner.RunAsync(command.Argv, commandTimeout, cancellationToken);
        if (!outcome.Succeeded)
        {
            string output = outcome.Output.Length > 0 ? $": {outcome.Output}" : string.Empty;
            return new RoleLifecycleResult(role.Name, action, false, $"{Verb(action)} command {outcome.Describe()}{output}", Stopwatch.GetElapsedTime(started));
        }

        if (role.Status is { } status)
        {
            bool wantRunning = action == RoleAction.Start;
            while (true)
            {
                TimeSpan left = deadlineUtc - time.GetUtcNow();
                if (left <= TimeSpan.Zero)
                {
                    return new RoleLifecycleResult(role.Name, action, false, $"still {(wantRunning ? "not running" : "running")} when the timeout passed", Stopwatch.GetElapsedTime(started));
                }

                CommandOutcome state = await CommandRunner.RunAsync(status.Argv, TimeSpan.FromSeconds(Math.Min(status.TimeoutSeconds, left.TotalSeconds)), cancellationToken);
                if (!state.TimedOut && state.ExitCode is { } code && (code == 0) == wantRunning)
                {
                    break;
                }

                await Task.Delay(StatusInterval, time, cancellationToken);
            }
        }

        TimeSpan took = Stopwatch.GetElapsedTime(started);
        return new RoleLifecycleResult(role.Name, action, true, $"{Past(action)} in {took.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s", took);
    }

    private static string Verb(RoleAction action) => action == RoleAction.Stop ? "stop" : "start";

    private static string Past(RoleAction action) => action == RoleAction.Stop ? "stopped" : "started";
}
