using System.CommandLine;
using Pep.Core.Accounts;
using Pep.Core.Deployment;
using Pep.Core.Security;
using Pep.Core.Storage;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep account</c> (hidden): changes CloudAdmin accounts straight in the deployment's shared store, signed
/// with the stamp key of the state directory given. <c>add</c> is for tests and recovery (operators use the
/// endpoint's account cmdlets); <c>lock</c> and <c>unlock</c> are the administrator's explicit lock, the only
/// lock there is: failed logins never lock an account. <c>ssh-key add|remove|list</c> manage the SSH public keys
/// the account logs in with through the SSH front door (signed with the rest of the record).
/// </summary>
internal static class AccountCommand
{
    public static Command Create()
    {
        var state = new Option<DirectoryInfo>("--state") { Description = "The state directory (with the stamp's private key).", Required = true };
        var user = new Option<string>("--user") { Description = "The account (DOMAIN\\user or user).", Required = true };
        var passwordFile = new Option<FileInfo?>("--password-file") { Description = "Read the password from this file." };
        var passwordEnv = new Option<string?>("--password-env") { Description = "Read the password from this environment variable." };
        var add = new Command("add", "Add a CloudAdmin account to the shared store.") { state, user, passwordFile, passwordEnv };
        add.SetAction(parse => Run("add", parse.GetValue(state)!, parse.GetValue(user), (accounts, name, qualified, description) =>
        {
            string password = PasswordInput.Read(parse.GetValue(passwordFile)?.FullName, parse.GetValue(passwordEnv), $"Password for {qualified}: ");
            if (PasswordPolicy.Check(password, name.User) is { } passwordError)
            {
                throw new FormatException(passwordError + " " + PasswordPolicy.Description);
            }

            if (!accounts.TryAdd(name, password))
            {
                Console.Error.WriteLine($"pep account add: the account '{qualified}' already exists.");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"Added {qualified} to the {description} store.");
            return ExitCodes.Success;
        }));

        return new Command("account", "Manage CloudAdmin accounts directly in the shared store (tests, recovery, administrator's lock).")
        {
            Hidden = true,
            Subcommands = { add, StatusCommand("lock", "Lock an account: no login with it until it is unlocked.", AccountStatus.LockedByAdministrator, state, user),
                StatusCommand("unlock", "Lift an administrator's lock.", AccountStatus.Active, state, user), SshKeyCommand(state, user) },
        };
    }

    private static Command StatusCommand(string verb, string description, AccountStatus status, Option<DirectoryInfo> state, Option<string> user)
    {
        var command = new Command(verb, description) { state, user };
        command.SetAction(parse => Run(verb, parse.GetValue(state)!, parse.GetValue(user), (accounts, name, qualified, _) =>
        {
            if (!accounts.TrySetStatus(name, status))
            {
                return NoSuchAccount(verb, qualified);
            }

            Console.WriteLine(status == AccountStatus.Active ? $"Unlocked {qualified}." : $"Locked {qualified}: no login with it until 'pep account unlock'.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command SshKeyCommand(Option<DirectoryInfo> state, Option<string> user)
    {
        var keyFile = new Option<FileInfo>("--key-file") { Description = "The public key, in OpenSSH's one-line form (id_ed25519.pub).", Required = true };
        var add = new Command("add", "Let a public key log in as the account through the SSH front door.") { state, user, keyFile };
        add.SetAction(parse => Run("ssh-key add", parse.GetValue(state)!, parse.GetValue(user), (accounts, name, qualified, _) =>
        {
            SshPublicKey key = ReadKey(parse.GetValue(keyFile)!);
            if (accounts.TryAddSshKey(name, key) is not { } added)
            {
                return NoSuchAccount("ssh-key add", qualified);
            }

            Console.WriteLine(!added ? $"{qualified} already has the key {key.Fingerprint}." : $"Added the key {key.Fingerprint} to {qualified}.");
            return ExitCodes.Success;
        }));

        var fingerprint = new Option<string>("--fingerprint") { Description = "The key's fingerprint as 'pep account ssh-key list' shows it (SHA256:...).", Required = true };
        var remove = new Command("remove", "Stop a public key from logging in as the account.") { state, user, fingerprint };
        remove.SetAction(parse => Run("ssh-key remove", parse.GetValue(state)!, parse.GetValue(user), (accounts, name, qualified, _) =>
        {
            string wanted = parse.GetValue(fingerprint)!;
            if (accounts.TryRemoveSshKey(name, wanted) is not { } found)
            {
                return NoSuchAccount("ssh-key remove", qualified);
            }

            if (!found)
            {
                Console.Error.WriteLine($"pep account ssh-key remove: {qualified} has no key {wanted}.");
                return ExitCodes.Failed;
            }

            Console.WriteLine($"Removed the key {wanted} from {qualified}.");
            return ExitCodes.Success;
        }));

        var list = new Command("list", "Show the account's public keys with their fingerprints.") { state, user };
        list.SetAction(parse => Run("ssh-key list", parse.GetValue(state)!, parse.GetValue(user), (accounts, name, qualified, _) =>
        {
            if (accounts.Find(name) is not { } record)
            {
                return NoSuchAccount("ssh-key list", qualified);
            }

            foreach (SshPublicKey key in record.SshKeys)
            {
                Console.WriteLine($"{key.Fingerprint} {key.Algorithm} {key.Comment}".TrimEnd());
            }

            return ExitCodes.Success;
        }));

        return new Command("ssh-key", "The SSH public keys an account logs in with through the SSH front door.") { Subcommands = { add, remove, list } };
    }

    private static SshPublicKey ReadKey(FileInfo file)
    {
        string text = File.ReadAllText(file.FullName);
        return SshPublicKey.TryParse(text, out string? error) ?? throw new FormatException($"'{file.FullName}': {error}");
    }

    private static int NoSuchAccount(string verb, string qualified)
    {
        Console.Error.WriteLine($"pep account {verb}: there is no account '{qualified}'.");
        return ExitCodes.Failed;
    }

    /// <summary>Opens the deployment's accounts with the stamp key and runs <paramref name="change"/>; turns failures into messages and exit codes.</summary>
    private static int Run(string verb, DirectoryInfo stateDirectory, string? userText, Func<AccountService, AccountName, string, string, int> change)
    {
        try
        {
            var layout = new StateLayout(stateDirectory.FullName);
            DeploymentConfig config = DeploymentConfig.Load(layout.ConfigFile);
            string domain = config.Stamp.DomainNetBiosName;
            AccountName name = AccountName.TryParse(userText, domain, out string? nameError) ?? throw new FormatException(nameError);
            using SigningKey stampKey = SigningKey.Load(layout.StampPrivateKey);
            using SharedState shared = SharedState.Open(layout, config);
            var accounts = new AccountService(shared.Accounts, stampKey, domain, config.Limits.AccountBudget(), null, TimeProvider.System);
            return change(accounts, name, name.Qualified(domain), shared.Description);
        }
        catch (StoreUnavailableException e)
        {
            Console.Error.WriteLine($"pep account {verb}: the shared store is unavailable: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (Exception e) when (e is DeploymentException or FormatException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"pep account {verb}: {e.Message}");
            return e is FormatException ? ExitCodes.InvalidInput : ExitCodes.DeploymentError;
        }
    }
}
