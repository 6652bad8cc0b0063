using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;
using Pep.Gateway.Broker;

namespace Pep.Gateway.Stamp;

/// <summary>
/// Invoke-AzureStackOnDemandLog, done by the gateway: the on-demand log command the manifest declares for each role the
/// session names (which must be the manifest's and declare one), in the manifest's order, within the request's time.
/// </summary>
internal sealed class OnDemandLogRequests(StateLayout layout, TimeProvider time)
{
    /// <summary>What a command printed that the outcome keeps: one line of the cmdlet's output, not the role's whole log.</summary>
    private const int MaxDetailLength = 500;

    public BrokerReply Generate(GenerateOnDemandLogsRequest request, BrokerCall call)
    {
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

        var asked = request.Roles is null ? null : new HashSet<string>(request.Roles, StringComparer.OrdinalIgnoreCase);
        StampRole[] roles = [.. manifest.StartOrder().Where(r => r.OnDemandLog is not null && (asked is null || asked.Contains(r.Name)))];
        if (roles.Length == 0)
        {
            return new BrokerFailure("NoOnDemandLogCommands", BrokerErrorCategory.ObjectNotFound, "No role of this stamp declares an on-demand log command.", manifest.Name);
        }

        DateTimeOffset deadline = time.GetUtcNow().AddMinutes(request.TimeoutMinutes);
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

            CommandOutcome outcome = CommandRunner.RunAsync(command.Argv, TimeSpan.FromSeconds(Math.Min(command.TimeoutSeconds, left.TotalSeconds)), call.Cancellation)
                .GetAwaiter().GetResult();
            string said = outcome.Output.Trim().ReplaceLineEndings(" ");
            said = said.Length > MaxDetailLength ? said[..MaxDetailLength] + "..." : said;
            outcomes.Add(new OnDemandLogOutcome(role.Name, outcome.Succeeded, outcome.Succeeded ? said : $"on-demand log command {outcome.Describe()}{(said.Length > 0 ? ": " + said : "")}"));
        }

        return new OnDemandLogsReply([.. outcomes]);
    }
}
