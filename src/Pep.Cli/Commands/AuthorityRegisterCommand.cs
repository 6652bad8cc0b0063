using System.CommandLine;
using Pep.Core.Deployment;
using Pep.Core.Support;

namespace Pep.Cli.Commands;

/// <summary><c>pep authority register --state DIR FILE</c>: registers (or replaces) the support authority a stamp trusts.</summary>
internal static class AuthorityRegisterCommand
{
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Description = "The deployment's state directory.", Required = true };
        var bundle = new Argument<FileInfo>("bundle") { Description = "The authority's public bundle (authority-public.json, printed by 'pep authority init')." };
        var command = new Command("register", "Register a support authority's public bundle with a deployment, replacing any earlier one. New sessions use it.") { state, bundle };
        command.SetAction(parse =>
        {
            var layout = new StateLayout(parse.GetValue(state)!.FullName);
            return Register(layout, parse.GetValue(bundle)!.FullName, "pep authority register");
        });
        return command;
    }

    /// <summary>Registers and reports; shared with <c>pep init --support-authority</c>.</summary>
    public static int Register(StateLayout layout, string bundlePath, string caller)
    {
        try
        {
            string keyId = SupportAuthorityRegistration.Register(layout, bundlePath);
            Console.WriteLine($"  support authority: {keyId} (registered from {bundlePath})");
            return ExitCodes.Success;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"{caller}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (DeploymentException e)
        {
            Console.Error.WriteLine($"{caller}: {e.Message}");
            return ExitCodes.DeploymentError;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{caller}: {e.Message}");
            return ExitCodes.Failed;
        }
    }
}
