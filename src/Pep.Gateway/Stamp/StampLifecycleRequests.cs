using System.Globalization;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Lifecycle;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>
/// Stop-AzureStack and Start-AzureStack, done by the gateway: only the stop, start and status argv the manifest
/// declares for its roles run, in the manifest's order (stop in reverse); the session names roles, which must be the
/// manifest's, and a time limit, nothing else. The session host needs no rights on the roles.
/// </summary>
internal sealed class StampLifecycleRequests(StateLayout layout, TimeProvider time)
{
    public BrokerReply Plan(PlanStampLifecycleRequest request)
    {
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        return new StampLifecyclePlanReply(manifest.Name, [.. StampLifecycle.Order(manifest, request.Action).Select(r => r.Name)]);
    }

    public BrokerReply Run(RunStampLifecycleRequest request, BrokerCall call)
    {
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        if (request.Roles.FirstOrDefault(name => manifest.FindRole(name) is null) is { } unknown)
        {
            return StampFailures.UnknownRole(unknown, manifest);
        }

        // The manifest's order whatever order the request gives; each role once.
        var asked = new HashSet<string>(request.Roles, StringComparer.OrdinalIgnoreCase);
        StampRole[] roles = [.. StampLifecycle.Order(manifest, request.Action).Where(r => asked.Contains(r.Name))];
        string verb = request.Action.ToString();
        var lifecycle = new StampLifecycle(time);
        DateTimeOffset deadline = time.GetUtcNow().AddSeconds(request.TimeoutInSecs);
        var outcomes = new List<StampRoleOutcome>();
        for (int i = 0; i < roles.Length; i++)
        {
            call.Cancellation.ThrowIfCancellationRequested();
            StampRole role = roles[i];
            call.Report(new BrokerProgress(string.Create(CultureInfo.InvariantCulture, $"{verb} {role.Name} ({i + 1} of {roles.Length})"), i * 100 / roles.Length, -1));
            RoleLifecycleResult result = lifecycle.RunAsync(role, request.Action, deadline, call.Cancellation).GetAwaiter().GetResult();
            outcomes.Add(new StampRoleOutcome(result.Role, result.Action, result.Succeeded, result.Detail));
        }

        return new StampLifecycleReply([.. outcomes]);
    }
}
