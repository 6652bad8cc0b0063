using Microsoft.AspNetCore.Http;
using Pep.Core.Contracts;
using Pep.Gateway.Admission;

namespace Pep.Gateway.Login;

/// <summary>
/// Every way the gateway refuses a connection before a session exists goes through <see cref="SendAsync"/>: the
/// status of the <see cref="FailureKind"/>, its name in <see cref="WireProtocol.ErrorHeader"/> and the text in
/// <see cref="WireProtocol.MessageHeader"/> and the body.
/// </summary>
internal static class Refusal
{
    public static async Task SendAsync(HttpContext context, FailureKind failure, string message, RefusalLog refusals)
    {
        if (failure != FailureKind.InvalidCredential)
        {
            // Counted, and written once per source and interval: a flood of refusals is one line, not thousands.
            refusals.Record(SourceAddress.KeyOf(context.Connection.RemoteIpAddress), failure.ToString());
        }

        context.Response.StatusCode = (int)failure.StatusCode();
        context.Response.Headers[WireProtocol.ErrorHeader] = failure.ToString();
        context.Response.Headers[WireProtocol.MessageHeader] = HeaderSafe(message);
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    /// <summary>What a client sent, shortened for a message or a log.</summary>
    public static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>Header values are printable ASCII: anything else a client sent is shown as '?'.</summary>
    public static string HeaderSafe(string text)
        => string.Create(text.Length, text, (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
}
