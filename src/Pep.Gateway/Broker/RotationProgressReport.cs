using System.Globalization;
using Pep.Core.Certificates;
using Pep.Core.Contracts.Broker;

namespace Pep.Gateway.Broker;

/// <summary>Each secret rotation step, as a verbose line and a progress record sent to the cmdlet as the step starts.</summary>
internal sealed class RotationProgressReport(BrokerCall call) : IProgress<RotationProgress>
{
    public void Report(RotationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        call.Report(new BrokerVerbose($"Secret rotation step {value.Step} ({value.Index + 1} of {value.Total})."));
        call.Report(new BrokerProgress(string.Create(CultureInfo.InvariantCulture, $"{value.Step} ({value.Index + 1} of {value.Total})"), value.Index * 100 / value.Total, -1));
    }
}
