using System.Text;
using Pep.Core.Contracts.Broker;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Gateway.Broker;

/// <summary>
/// Set-BmcCredential, done in the gateway: each node's declared BMC command, in the manifest's order, given the user and
/// the new password as two lines on its standard input (never in its argv, where any process of the machine could read
/// them). Nodes are changed one after another and the first failure stops the rest, so the operator knows exactly which
/// nodes have the new credential (the failure's message names them) and can run it again.
/// </summary>
internal sealed class BmcRequests(StateLayout layout)
{
    public BrokerReply SetCredential(SetBmcCredentialRequest request, BrokerCall call)
    {
        StampManifest manifest;
        try
        {
            manifest = StampManifest.Load(layout.StampManifest);
        }
        catch (StampManifestException e)
        {
            return new BrokerFailure("StampManifestUnreadable", BrokerErrorCategory.ReadError, e.Message, layout.StampManifest);
        }

        List<(StampNode Node, RoleCommand? Command)> nodes = [.. manifest.Nodes.Where(n => n.Bmc is not null)
            .Select(n => (n, request.BypassBmcUpdate ? n.Bmc!.Store : n.Bmc!.Update))];
        if (nodes.Count == 0)
        {
            return new BrokerFailure("StampHasNoBmcCommands", BrokerErrorCategory.NotImplemented,
                "The stamp manifest declares no node with a BMC credential command.", layout.StampManifest);
        }

        if (nodes.FirstOrDefault(n => n.Command is null) is { Node: { } without })
        {
            return new BrokerFailure("BmcStoreCommandMissing", BrokerErrorCategory.NotImplemented,
                $"Node {without.Name} declares no BMC store command, so -BypassBMCUpdate cannot change only the stored credential.", without.Name);
        }

        byte[] input = Input(request);
        try
        {
            var done = new List<string>();
            foreach ((StampNode node, RoleCommand? command) in nodes)
            {
                call.Report(new BrokerProgress($"Node {node.Name}", done.Count * 100 / nodes.Count, -1));
                CommandOutcome outcome = CommandRunner.RunAsync(command!.Argv, TimeSpan.FromSeconds(command.TimeoutSeconds), call.Cancellation, input)
                    .GetAwaiter().GetResult();
                if (!outcome.Succeeded)
                {
                    string changed = done.Count == 0 ? "No node was changed." : $"Changed before it: {string.Join(", ", done)}.";
                    return new BrokerFailure("BmcCredentialUpdateFailed", BrokerErrorCategory.InvalidResult,
                        $"The BMC command of node {node.Name} {outcome.Describe()}. {changed}", node.Name);
                }

                done.Add(node.Name);
            }

            return new BmcCredentialReply(request.BmcUser, [.. done], request.BypassBmcUpdate);
        }
        finally
        {
            Array.Clear(input);
        }
    }

    /// <summary>"user\npassword\n" as UTF-8: the request's password bytes copied once, wiped by the caller.</summary>
    private static byte[] Input(SetBmcCredentialRequest request)
    {
        byte[] user = Encoding.UTF8.GetBytes(request.BmcUser);
        byte[] input = new byte[user.Length + request.BmcPassword.Length + 2];
        user.CopyTo(input, 0);
        input[user.Length] = (byte)'\n';
        request.BmcPassword.CopyTo(input, user.Length + 1);
        input[^1] = (byte)'\n';
        return input;
    }
}
