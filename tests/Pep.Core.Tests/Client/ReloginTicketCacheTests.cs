extern alias ClientModule;

using ClientModule::Pep.ClientModule.Transport;

namespace Pep.Core.Tests.Client;

public sealed class ReloginTicketCacheTests
{
    [Fact]
    public void ATicketIsTakenOnce_PerInstanceAndUser_AndReplacedByTheNextOne()
    {
        var instance = new EndpointAddress("192.0.2.41", 4443);
        var other = new EndpointAddress("192.0.2.42", 4443);
        byte[] first = [1, 2, 3];
        byte[] second = [4, 5, 6];

        ReloginTicketCache.Keep(instance, @"AZURESTACK\CloudAdmin", first);
        ReloginTicketCache.Keep(instance, @"azurestack\cloudadmin", second);

        Assert.Null(ReloginTicketCache.Take(other, @"AZURESTACK\cloudadmin"));
        Assert.Null(ReloginTicketCache.Take(instance, @"AZURESTACK\operator2"));
        Assert.Equal([4, 5, 6], ReloginTicketCache.Take(instance, @"AZURESTACK\cloudadmin"));
        Assert.Null(ReloginTicketCache.Take(instance, @"AZURESTACK\cloudadmin"));
        // The replaced ticket's bytes were wiped.
        Assert.Equal([0, 0, 0], first);
    }
}
