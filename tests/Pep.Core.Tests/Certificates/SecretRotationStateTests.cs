using Pep.Core.Certificates;
using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Certificates;

public sealed class SecretRotationStateTests
{
    private static SecretRotationState Planned() => new()
    {
        Id = Guid.NewGuid(),
        Kind = CertificateKind.External,
        Source = @"\\10.0.0.5\certs",
        StartedUtc = TestCertificates.Now,
        Certificates = ["portal"],
        Steps = [RotationStep.Of(RotationStep.Fetch), RotationStep.Of(RotationStep.Install, "portal"), RotationStep.Of(RotationStep.Reload, "Portal")],
    };

    [Fact]
    public void Steps_AreDoneInOrder_AndTheLastCompletesTheRotation()
    {
        SecretRotationState state = Planned();
        Assert.Equal("Fetch", state.NextStep!.Name);
        Assert.False(state.ChangedSomething);

        state = state.WithStepDone("Fetch", TestCertificates.Now).WithStepDone("Install:portal", TestCertificates.Now);
        Assert.True(state.ChangedSomething);
        Assert.Equal(RotationStatus.InProgress, state.Status);
        Assert.Equal("Reload:Portal", state.NextStep!.Name);
        Assert.Equal("Portal", state.NextStep.Object);

        state = state.WithFailure("Reload:Portal", "Role Portal did not reload (exit code 1).", TestCertificates.Now);
        Assert.Equal(RotationStatus.Failed, state.Status);

        state = state.WithStepDone("Reload:Portal", TestCertificates.Now);
        Assert.Equal(RotationStatus.Completed, state.Status);
        Assert.Null(state.FailedStep);
        Assert.Null(state.NextStep);
    }

    [Fact]
    public void SaveAndLoad_RoundTrip()
    {
        string root = Directory.CreateTempSubdirectory("pep-rotation-state-").FullName;
        try
        {
            var layout = new StateLayout(root);
            Assert.Null(SecretRotationState.Load(layout));
            SecretRotationState state = Planned().WithStepDone("Fetch", TestCertificates.Now).WithFailure("Install:portal", "disk full", TestCertificates.Now);

            state.Save(layout);
            SecretRotationState loaded = SecretRotationState.Load(layout)!;

            Assert.Equal(state.Id, loaded.Id);
            Assert.Equal(state.Steps, loaded.Steps);
            Assert.Equal(state.Certificates, loaded.Certificates);
            Assert.Equal("Install:portal", loaded.FailedStep);
            Assert.Equal(CertificateKind.External, loaded.Kind);

            File.WriteAllText(layout.SecretRotationState, "{ not json");
            Assert.Throws<IOException>(() => SecretRotationState.Load(layout));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
