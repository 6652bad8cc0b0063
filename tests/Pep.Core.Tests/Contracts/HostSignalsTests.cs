using Pep.Core.Contracts;

namespace Pep.Core.Tests.Contracts;

public sealed class HostSignalsTests
{
    private static readonly Guid Session = Guid.Parse("0d1e2f30-4152-6374-8596-a7b8c9dae0f1");

    [Fact]
    public void ADiagnostic_IsReadBack_AsItsText_OnOneLine()
    {
        string line = HostSignals.Diagnostic(Session, "support.log not written:\nDisk full");

        Assert.True(HostSignals.TryReadDiagnostic(line, Session, out string message));
        Assert.Equal("support.log not written: Disk full", message);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void AProblem_IsReadBack_WithItsKind_AndAnUnknownKindIsNot()
    {
        string line = HostSignals.Problem(Session, HostProblem.StreamLogNotWritten, "endpoint-streams.log not written:\nDisk full");

        Assert.True(HostSignals.TryReadProblem(line, Session, out HostProblem kind, out string message));
        Assert.Equal(HostProblem.StreamLogNotWritten, kind);
        Assert.Equal("endpoint-streams.log not written: Disk full", message);
        Assert.False(HostSignals.TryReadProblem($"pep: problem {Session:N} NoSuchKind text", Session, out _, out _));
        Assert.False(HostSignals.TryReadProblem($"pep: problem {Session:N} 7 text", Session, out _, out _));
        Assert.False(HostSignals.TryReadProblem(HostSignals.Problem(Guid.NewGuid(), HostProblem.CommandAfterClose, "x"), Session, out _, out _));
    }

    [Fact]
    public void AnElevation_IsReadBack_AsTheSecondsItAsksFor()
    {
        Assert.True(HostSignals.TryReadElevating(HostSignals.Elevating(Session, TimeSpan.FromSeconds(40.2)), Session, out long seconds));
        Assert.Equal(41, seconds);
        Assert.False(HostSignals.TryReadElevating(HostSignals.Elevating(Guid.NewGuid(), TimeSpan.FromSeconds(40)), Session, out _));
        Assert.False(HostSignals.TryReadElevating($"pep: elevating {Session:N} seconds -5", Session, out _));
    }

    [Fact]
    public void ADiagnostic_OfAnotherSession_OrAnotherSignal_IsNotRead()
    {
        Assert.False(HostSignals.TryReadDiagnostic(HostSignals.Diagnostic(Guid.NewGuid(), "x"), Session, out _));
        Assert.False(HostSignals.TryReadDiagnostic(HostSignals.Ready(Session), Session, out _));
        Assert.False(HostSignals.TryReadDiagnostic("pep: diagnostic", Session, out _));
    }
}
