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
    public void ADiagnostic_OfAnotherSession_OrAnotherSignal_IsNotRead()
    {
        Assert.False(HostSignals.TryReadDiagnostic(HostSignals.Diagnostic(Guid.NewGuid(), "x"), Session, out _));
        Assert.False(HostSignals.TryReadDiagnostic(HostSignals.Ready(Session), Session, out _));
        Assert.False(HostSignals.TryReadDiagnostic("pep: diagnostic", Session, out _));
    }
}
