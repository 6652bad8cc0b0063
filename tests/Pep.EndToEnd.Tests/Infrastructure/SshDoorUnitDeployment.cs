using Pep.Core.Ssh;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A class fixture: one instance with its SSH front door, started as deploy/systemd/pep-ssh-door@.service starts it,
/// on a machine where systemd is not PID 1: the unit's <c>ExecStartPre=+</c> as root with nothing restricted, then its
/// <c>ExecStart=</c> in the unit's sandbox (<see cref="ServiceUnitSandbox"/>).
/// </summary>
public sealed class SshDoorUnitDeployment : IAsyncLifetime
{
    public const string UnitFile = "pep-ssh-door@.service";

    private ServiceUnitSandbox? _sandbox;

    public SshDoorUnitDeployment() => Door = new SshDeployment(StartAsTheUnitDoesAsync);

    public ServiceUnit Unit { get; } = ServiceUnit.Load(UnitFile);

    public SshDeployment Door { get; }

    public ServiceUnitSandbox Sandbox => _sandbox ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync() => Door.InitializeAsync();

    private async Task StartAsTheUnitDoesAsync(TestDeployment deployment)
    {
        string instance = deployment.Instances[0].Name;
        string[] prepare = Unit.Words("ExecStartPre", deployment.StateDirectory, instance);
        Assert.True(prepare[0].StartsWith('+'), "the preparation runs with full privileges (ExecStartPre=+)");
        ProcessResult prepared = await ProcessRunner.RunAsync(prepare[0][1..], prepare[1..]);
        Assert.True(prepared.ExitCode == 0, prepared.ToString());

        _sandbox = ServiceUnitSandbox.Create(Unit, deployment.StateDirectory);
        await deployment.StartCommandAsync([.. _sandbox.Prefix, .. Unit.Words("ExecStart", deployment.StateDirectory, instance)], instance);
    }

    public async Task DisposeAsync()
    {
        await Door.DisposeAsync();
        if (_sandbox is not null)
        {
            await _sandbox.DisposeAsync();
            // The preparation's PAM service stays for a unit's next start; a test's goes with its deployment.
            File.Delete(new SshDoorLayout(Door.Deployment.Layout, Door.Deployment.Instances[0].Name).PamServiceFile);
        }
    }
}
