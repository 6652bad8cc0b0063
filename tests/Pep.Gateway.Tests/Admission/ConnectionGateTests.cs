using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pep.Core.Deployment;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Tests.Admission;

public sealed class ConnectionGateTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ASourceAtItsLimit_IsRefused_WhileAnotherSourceIsAdmitted()
    {
        ConnectionGate gate = Gate(new GatewayLimits { MaxPreAuthConnectionsPerSource = 2 });
        Assert.NotNull(gate.TryAdmit("10.0.0.66", out _));
        Assert.NotNull(gate.TryAdmit("10.0.0.66", out _));

        Assert.Null(gate.TryAdmit("10.0.0.66", out ConnectionRefusal refusal));
        Assert.Equal(ConnectionRefusal.SourceConnectionLimit, refusal);
        Assert.NotNull(gate.TryAdmit("10.0.0.7", out _));
    }

    [Fact]
    public void ALeaseReleased_WhenItsConnectionLogsIn_FreesItsPlace()
    {
        ConnectionGate gate = Gate(new GatewayLimits { MaxPreAuthConnectionsPerSource = 1 });
        PreAuthLease lease = gate.TryAdmit("10.0.0.7", out _)!;

        lease.Dispose();
        lease.Dispose();

        Assert.Equal(0, gate.PreAuthConnections);
        Assert.NotNull(gate.TryAdmit("10.0.0.7", out _));
    }

    [Fact]
    public void AllSourcesTogether_AreBoundedByThePreAuthCapacity()
    {
        ConnectionGate gate = Gate(new GatewayLimits { MaxPreAuthConnections = 3 });
        for (int i = 1; i <= 3; i++)
        {
            Assert.NotNull(gate.TryAdmit($"10.0.0.{i}", out _));
        }

        Assert.Null(gate.TryAdmit("10.0.0.4", out ConnectionRefusal refusal));
        Assert.Equal(ConnectionRefusal.PreAuthCapacity, refusal);
    }

    [Fact]
    public void ASourcesNewConnections_ArePacedAfterItsBurst()
    {
        ConnectionGate gate = Gate(new GatewayLimits { ConnectionBurstPerSource = 3, ConnectionsPerSourcePerMinute = 60 });
        for (int i = 0; i < 3; i++)
        {
            gate.TryAdmit("10.0.0.66", out _)!.Dispose();
        }

        Assert.Null(gate.TryAdmit("10.0.0.66", out ConnectionRefusal refusal));
        Assert.Equal(ConnectionRefusal.SourceConnectionRate, refusal);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(gate.TryAdmit("10.0.0.66", out _));
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa::1", "2001:db8:1:2:bbbb::2", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:10.0.0.7", "10.0.0.7", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    public void Sources_AreAddressesForIPv4_AndSlash64sForIPv6(string first, string second, bool same)
        => Assert.Equal(same, SourceAddress.KeyOf(IPAddress.Parse(first)) == SourceAddress.KeyOf(IPAddress.Parse(second)));

    private ConnectionGate Gate(GatewayLimits limits) => new(limits, new RefusalLog(), _time);
}
