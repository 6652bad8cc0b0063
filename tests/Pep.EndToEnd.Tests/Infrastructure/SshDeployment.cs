using Pep.Core.Ssh;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A class fixture: one instance with its SSH front door, a key pair for cloudadmin, and the host key pinned in a
/// known_hosts file, so that every client below checks the server as an operator's would (StrictHostKeyChecking).
/// Failed logins from a source neither slow nor block it here (the tests of a class all come from 127.0.0.1); the
/// account budget is 5, so that the lockout across both doors takes five failures.
/// </summary>
public sealed class SshDeployment : IAsyncLifetime
{
    public const int AccountBudget = 5;

    private readonly Func<TestDeployment, Task> _start;
    private TestDeployment? _deployment;

    public SshDeployment()
        : this(deployment => deployment.StartAllAsync())
    {
    }

    /// <summary>A deployment whose instance <paramref name="start"/> starts (in a sandbox, for example); not public: xunit takes a fixture with one public constructor.</summary>
    internal SshDeployment(Func<TestDeployment, Task> start) => _start = start;

    public TestDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public EndpointInstance Instance => Deployment.Running[0];

    public int SshPort => Instance.SshPort ?? throw new InvalidOperationException($"The instance runs no SSH door:\n{Instance.Output}");

    /// <summary>cloudadmin's private key (its public half is on the account).</summary>
    public string KeyFile => Path.Combine(Deployment.StateDirectory, "operator-key");

    public string KnownHostsFile => Path.Combine(Deployment.StateDirectory, "known_hosts");

    /// <summary>ssh's options as Enter-PSSession -Options takes them.</summary>
    public string PwshOptions => $"@{{ UserKnownHostsFile = '{KnownHostsFile}'; StrictHostKeyChecking = 'yes' }}";

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(instanceCount: 1, warmSessionHosts: 1, sshDoor: true, adjust: config => config with
        {
            Limits = config.Limits with
            {
                AccountFailuresPerWindow = AccountBudget,
                LoginFailuresBeforeSlowdown = 1000,
                LoginFailuresBeforeBlock = 1000,
            },
        });
        await _start(Deployment);
        await PrepareClientAsync(Deployment, Instance);
    }

    /// <summary>
    /// A key pair for cloudadmin (its public half added with <c>pep account ssh-key add</c>) and a known_hosts file
    /// that pins the instance's host key, in the deployment's folder: <c>operator-key</c>, <c>known_hosts</c>.
    /// </summary>
    public static async Task PrepareClientAsync(TestDeployment deployment, EndpointInstance instance)
    {
        string key = Path.Combine(deployment.StateDirectory, "operator-key");
        ProcessResult keygen = await ProcessRunner.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "operator@test", "-f", key]);
        Assert.True(keygen.ExitCode == 0, keygen.ToString());
        await PepAsync(null, "account", "ssh-key", "add", "--state", deployment.StateDirectory, "--user", "cloudadmin", "--key-file", key + ".pub");
        string[] hostKey = (await File.ReadAllTextAsync(new SshDoorLayout(deployment.Layout, instance.Name).HostPublicKey)).Trim().Split(' ');
        await File.WriteAllTextAsync(Path.Combine(deployment.StateDirectory, "known_hosts"), $"[127.0.0.1]:{instance.SshPort} {hostKey[0]} {hostKey[1]}\n");
    }

    /// <summary>
    /// Adds an account with a password of its own through <c>pep account add</c>, and waits until the running door has
    /// made it exist for sshd (<see cref="ExtraUsersFile"/>); returns the password.
    /// </summary>
    public async Task<string> AddAccountAsync(string user)
    {
        string password = Deployment.AdminPassword + "-" + Guid.NewGuid().ToString("N")[..6];
        await PepAsync(new Dictionary<string, string> { ["PEP_TEST_PASSWORD"] = password },
            "account", "add", "--state", Deployment.StateDirectory, "--user", user, "--password-env", "PEP_TEST_PASSWORD");
        await EndpointInstance.WaitUntilAsync(() => File.ReadLines(ExtraUsersFile.PasswdPath).Any(line => line.StartsWith(user + ":", StringComparison.Ordinal)),
            $"'{user}' exists for sshd");
        return password;
    }

    public Task PepAsync(params string[] arguments) => PepAsync(null, arguments);

    private static async Task PepAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, .. arguments], environment);
        Assert.True(result.ExitCode == 0, $"pep {string.Join(' ', arguments)}: {result}");
    }

    /// <summary>
    /// Stock ssh to the door, checking its host key; a password is typed at ssh's prompt by sshpass (from its
    /// environment, never the command line), one prompt only, so that one call is one password check.
    /// </summary>
    /// <param name="user">The account, as ssh's -l.</param>
    /// <param name="password">Typed at ssh's prompt; null logs in with the fixture's key.</param>
    /// <param name="options">ssh's options (before the host).</param>
    /// <param name="command">What follows the host: a command, or the subsystem's name with -s among the options.</param>
    public Task<ProcessResult> SshAsync(string user, string? password, string[] options, params string[] command)
    {
        string[] common = ["-p", SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", $"UserKnownHostsFile={KnownHostsFile}", "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=" + (password is null ? "yes" : "no"), "-o", "NumberOfPasswordPrompts=1", "-l", user];
        string[] auth = password is null ? ["-i", KeyFile, "-o", "PreferredAuthentications=publickey"] : ["-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no"];
        string[] ssh = ["ssh", .. common, .. auth, .. options, "127.0.0.1", .. command];
        return password is null
            ? ProcessRunner.RunAsync(ssh[0], ssh[1..], timeout: TimeSpan.FromSeconds(90))
            : ProcessRunner.RunAsync("sshpass", ["-e", .. ssh], new Dictionary<string, string> { ["SSHPASS"] = password }, timeout: TimeSpan.FromSeconds(90));
    }

    /// <summary>Runs a stock pwsh script with nothing imported; with a password, sshpass types it at the prompt of pwsh's ssh.</summary>
    public Task<ProcessResult> PwshAsync(string script, string? password = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string file = Path.Combine(Deployment.StateDirectory, $"client-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, "$ErrorActionPreference = 'Stop'\n$ProgressPreference = 'SilentlyContinue'\nRemove-Item -LiteralPath $PSCommandPath\n" + script);
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        string[] pwsh = [RepositoryPaths.Pwsh, "-NoLogo", "-NoProfile", "-NonInteractive", "-File", file];
        if (password is null)
        {
            return ProcessRunner.RunAsync(pwsh[0], pwsh[1..], variables);
        }

        variables["SSHPASS"] = password;
        return ProcessRunner.RunAsync("sshpass", ["-e", .. pwsh], variables);
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}
