using System.CommandLine;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.Core.Storage;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep account add</c> (hidden): adds a CloudAdmin account straight to the deployment's shared store, signed
/// with the stamp key of the state directory given. For tests and recovery; operators use the endpoint's
/// account cmdlets.
/// </summary>
internal static class AccountCommand
{
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Description = "The state directory (with the stamp's private key).", Required = true };
        var user = new Option<string>("--user") { Description = "The account to add (DOMAIN\\user or user).", Required = true };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "Read the password from this file." };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read the password from this environment variable." };
        var add = new Command("add", "Add a CloudAdmin account to the shared store.") { state, user, passwordFile, passwordEnv };
        add.SetAction(parse =>
        {
            try
            {
                var layout = new StateLayout(parse.GetValue(state)!.FullName);
                DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
                AccountName name = AccountName.TryParse(parse.GetValue(user), config.Stamp.DomainNetBiosName, out string? nameError)
                    ?? throw new FormatException(nameError);
                string password = PasswordInput.Read(parse.GetValue(passwordFile)?.FullName, parse.GetValue(passwordEnv), $"Password for {name.Qualified(config.Stamp.DomainNetBiosName)}: ");
                if (PasswordPolicy.Check(password, name.User) is { } passwordError)
                {
                    throw new FormatException(passwordError + " " + PasswordPolicy.Description);
                }

                using SigningKey stampKey = SigningKey.Load(layout.StampPrivateKey);
                using SharedState shared = SharedState.Open(layout, config);
                var accounts = new AccountService(shared.Accounts, stampKey, config.Stamp.DomainNetBiosName, LockoutPolicy.Default, TimeProvider.System);
                if (!accounts.TryAdd(name, password))
                {
                    Console.Error.WriteLine($"pep account add: the account '{name.Qualified(config.Stamp.DomainNetBiosName)}' already exists.");
                    return ExitCodes.Failed;
                }

                Console.WriteLine($"Added {name.Qualified(config.Stamp.DomainNetBiosName)} to the {shared.Description} store.");
                return ExitCodes.Success;
            }
            catch (StoreUnavailableException e)
            {
                Console.Error.WriteLine($"pep account add: the shared store is unavailable: {e.Message}");
                return ExitCodes.Failed;
            }
            catch (Exception e) when (e is DeploymentException or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"pep account add: {e.Message}");
                return e is FormatException ? ExitCodes.InvalidInput : ExitCodes.DeploymentError;
            }
        });
        return new Command("account", "Manage CloudAdmin accounts directly in the shared store (tests and recovery).") { Hidden = true, Subcommands = { add } };
    }
}
