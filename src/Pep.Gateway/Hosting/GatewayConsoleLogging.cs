using Microsoft.Extensions.Logging;

namespace Pep.Gateway.Hosting;

/// <summary>The console format of every process of the gateway (the gateway itself, the SSH door's keeper): one line an event, UTC, milliseconds.</summary>
internal static class GatewayConsoleLogging
{
    public static ILoggingBuilder AddGatewayConsole(this ILoggingBuilder logging) => logging.AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.UseUtcTimestamp = true;
        console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
    });
}
