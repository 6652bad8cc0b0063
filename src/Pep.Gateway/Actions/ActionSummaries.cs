using System.Globalization;
using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Actions;

/// <summary>The one line an action's record keeps of its result, for Get-ActionStatus on any instance.</summary>
internal static class ActionSummaries
{
    /// <summary>The longest summary kept: the record is one value of the shared store.</summary>
    private const int MaxLength = 1000;

    public static string Of(BrokerReply reply)
    {
        string text = reply switch
        {
            StampLifecycleReply lifecycle => Lifecycle(lifecycle),
            StampLogsReply logs => Logs(logs),
            OnDemandLogsReply generated => string.Create(CultureInfo.InvariantCulture,
                $"{generated.Roles.Count(r => r.Succeeded)} of {generated.Roles.Length} roles wrote their on-demand logs{(generated.Roles.All(r => r.Succeeded) ? "" : "; failed: " + string.Join(", ", generated.Roles.Where(r => !r.Succeeded).Select(r => r.Role)))}{(generated.Collected is { } collected ? "; " + Logs(collected) : "")}."),
            RotationReply rotation => $"Installed {rotation.Installed.Length.ToString(CultureInfo.InvariantCulture)} certificates.",
            BrokerFailure failure => failure.Message,
            _ => "Done.",
        };
        return text.Length > MaxLength ? text[..MaxLength] + "..." : text;
    }

    private static string Logs(StampLogsReply logs) => string.Create(CultureInfo.InvariantCulture,
        $"{logs.Archives.Length} archives ({logs.Archives.Sum(a => a.Files)} files{(logs.Archives.All(a => a.Complete) ? "" : ", some missing")}) in {logs.Location}");

    private static string Lifecycle(StampLifecycleReply reply)
    {
        string[] failed = [.. reply.Roles.Where(r => !r.Succeeded).Select(r => r.Role)];
        string done = string.Join(", ", reply.Roles.Where(r => r.Succeeded).Select(r => r.Role));
        return failed.Length == 0
            ? $"Done: {(done.Length == 0 ? "no role" : done)}."
            : $"Done: {(done.Length == 0 ? "no role" : done)}; not done in time: {string.Join(", ", failed)}.";
    }
}
