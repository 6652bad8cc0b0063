namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A class fixture: one deployment with all three instances running, shared by the tests of a class
/// that only read from it. Each instance keeps one warm session host, as deployments do, so these sessions go
/// through the warm path: a login takes a host that started before it.
/// </summary>
public sealed class RunningDeployment : IAsyncLifetime
{
    private TestDeployment? _deployment;

    public TestDeployment Deployment => _deployment ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _deployment = await TestDeployment.CreateAsync(warmSessionHosts: 1);
        await _deployment.StartAllAsync();
    }

    public async Task DisposeAsync()
    {
        if (_deployment is not null)
        {
            await _deployment.DisposeAsync();
        }
    }
}
