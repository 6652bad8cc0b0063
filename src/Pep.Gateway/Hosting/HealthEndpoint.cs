using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pep.Core.Platform;
using Pep.Core.Storage;
using Pep.Gateway.Login;
using Pep.Gateway.Transcripts;

namespace Pep.Gateway.Hosting;

/// <summary><c>GET /health</c>, for load balancers: 200 when the instance can take sessions, 503 when it cannot (transcripts not writable or not sealable, shared store unreachable).</summary>
internal static class HealthEndpoint
{
    public const string Path = "/health";

    public static async Task WriteAsync(HttpContext context, GatewayOptions options, SessionEndpoint sessions, TranscriptSealer sealer, SharedState shared)
    {
        bool writable = TranscriptFolder.IsWritable(options.Layout, options.InstanceName);
        bool sealable = sealer.CanSeal();
        bool transcribing = writable && sealable;
        bool storeReachable = await Task.Run(() => shared.IsReachable(TimeSpan.FromSeconds(2)), context.RequestAborted);
        bool healthy = transcribing && storeReachable;
        context.Response.StatusCode = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        var health = new
        {
            instance = options.InstanceName.ToUpperInvariant(),
            status = healthy ? "Healthy" : "Unhealthy",
            transcripts = !writable ? "NotWritable" : !sealable ? "CannotSeal" : "Writable",
            store = storeReachable ? "Reachable" : "Unreachable",
            sessions = sessions.ActiveSessions,
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, health, JsonFiles.Options, context.RequestAborted);
    }
}
