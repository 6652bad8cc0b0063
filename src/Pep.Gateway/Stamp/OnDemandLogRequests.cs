using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>
/// Invoke-AzureStackOnDemandLog, done by the gateway as a tracked action: the on-demand log command the manifest declares
/// for each role the session names (which must be the manifest's and declare one), in the manifest's order, within the
/// request's time (the role named SLB within its own, -SlbTimeOutInMinutes, too); with an output path, then what the
/// roles that succeeded wrote since the run began, collected as Get-AzureStackLog does (<see cref="StampLogRequests"/>).
/// </summary>
internal sealed class OnDemandLogRequests(StateLayout layout, StampLogRequests logs, TimeProvider time)
{
    /// <summary>What a command printed that the outcome keeps: one line of the cmdlet's output, not the role's whole log.</summary>
    private const int MaxDetailLength = 500;

    /// <summary>Refuses at once what the action would refuse (unknown roles, roles without the command, a refused folder), before it starts.</summary>
    public BrokerFailure? Check(GenerateOnDemandLogsRequest request) => Select(request, out _);

    public BrokerReply Generate(GenerateOnDemandLogsRequest request, BrokerCall call)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(call);
        if (Select(request, out StampRole[] roles) is { } refused)
        {
            return refused;
        }

        DateTimeOffset began = time.GetUtcNow();
        DateTimeOffset deadline = began.AddMinutes(request.TimeoutMinutes);
        var outcomes = new List<OnDemandLogOutcome>();
        for (int i = 0; i < roles.Length; i++)
        {
            StampRole role = roles[i];
            RoleCommand command = role.OnDemandLog!;
            call.Report(new BrokerProgress($"{role.Name} ({i + 1} of {roles.Length})", i * 100 / roles.Length, -1));
            TimeSpan left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                outcomes.Add(new OnDemandLogOutcome(role.Name, false, "not run: the timeout had passed before its turn"));
                continue;
            }

            double limitSeconds = Math.Min(command.TimeoutSeconds, left.TotalSeconds);
            if (string.Equals(role.Name, GenerateOnDemandLogsRequest.SlbRoleName, StringComparison.OrdinalIgnoreCase))
            {
                limitSeconds = Math.Min(limitSeconds, TimeSpan.FromMinutes(request.SlbTimeoutMinutes).TotalSeconds);
            }

            CommandOutcome outcome = CommandRunner.RunAsync(command.Argv, TimeSpan.FromSeconds(limitSeconds), call.Cancellation)
                .GetAwaiter().GetResult();
            string said = outcome.Output.Trim().ReplaceLineEndings(" ");
            said = said.Length > MaxDetailLength ? said[..MaxDetailLength] + "..." : said;
            outcomes.Add(new OnDemandLogOutcome(role.Name, outcome.Succeeded, outcome.Succeeded ? said : $"on-demand log command {outcome.Describe()}{(said.Length > 0 ? ": " + said : "")}"));
        }

        string[] wrote = [.. outcomes.Where(o => o.Succeeded).Select(o => o.Role)];
        if (request.OutputPath is null || wrote.Length == 0)
        {
            return new OnDemandLogsReply([.. outcomes], null);
        }

        // The window starts a second before the run began: log sources keep times to the second.
        var collect = new CollectStampLogsRequest(wrote, null, began.UtcDateTime.AddSeconds(-1), null, request.OutputPath, null, null, null, request.TimeoutMinutes);
        BrokerReply collected = logs.CollectStampLogs(collect, call);
        return collected is StampLogsReply archives ? new OnDemandLogsReply([.. outcomes], archives) : collected;
    }

    /// <summary>The roles whose command to run, in the manifest's order, or why the request is refused.</summary>
    private BrokerFailure? Select(GenerateOnDemandLogsRequest request, out StampRole[] roles)
    {
        roles = [];
        if (StampFailures.TryLoadManifest(layout, out StampManifest manifest) is { } unreadable)
        {
            return unreadable;
        }

        foreach (string name in request.Roles ?? [])
        {
            if (manifest.FindRole(name) is not { } role)
            {
                return StampFailures.UnknownRole(name, manifest);
            }

            if (role.OnDemandLog is null)
            {
                return new BrokerFailure("RoleHasNoOnDemandLog", BrokerErrorCategory.InvalidArgument,
                    $"Role {role.Name} declares no on-demand log command. Roles that do: {string.Join(", ", manifest.Roles.Where(r => r.OnDemandLog is not null).Select(r => r.Name))}.", role.Name);
            }
        }

        if (request.OutputPath is not null)
        {
            // Checked before any role runs, so a refused folder costs nothing; the collection makes its own folder under it.
            if (StampFailures.TryLoadConfig(layout, out DeploymentConfig config) is { } unconfigured)
            {
                return unconfigured;
            }

            if (OutputFolders.Check(config, request.OutputPath, out _) is { } refused)
            {
                return refused;
            }
        }

        var asked = request.Roles is null ? null : new HashSet<string>(request.Roles, StringComparer.OrdinalIgnoreCase);
        roles = [.. manifest.StartOrder().Where(r => r.OnDemandLog is not null && (asked is null || asked.Contains(r.Name)))];
        if (roles.Length == 0)
        {
            return new BrokerFailure("NoOnDemandLogCommands", BrokerErrorCategory.ObjectNotFound, "No role of this stamp declares an on-demand log command.", manifest.Name);
        }

        return null;
    }
}
