// The bench compiles this file with Add-Type, outside the project: it needs its own nullable context and usings
// (in the project, the implicit usings make some of them redundant).
#nullable enable
#pragma warning disable IDE0005
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Infrastructure;

/// <summary>
/// What an attacker on the same network does to keep operators out, from a handful of loopback addresses
/// (127.0.0.10 and up; the whole of 127/8 is loopback on Linux): bare TCP connections that send nothing,
/// TLS handshakes sent one byte a second, and wrong passwords for a real and for unknown accounts. Runs until
/// disposed; counts what the gateway answered. Self-contained with <see cref="RawLogin"/>, so that the bench
/// compiles the same two files (<c>Add-Type</c>) for its figure of a login under this flood.
/// </summary>
public sealed class LoginFlood : IAsyncDisposable
{
    private const int SlowHandshakesPerSource = 4;
    private const int GuessersPerSource = 2;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private readonly DnsEndPoint _target;

    private LoginFlood(int port) => _target = new DnsEndPoint("127.0.0.1", port);

    /// <summary>The real account the flood guesses passwords for, beside unknown ones.</summary>
    public const string RealAccount = @"AZURESTACK\cloudadmin";

    /// <summary>Answers to the wrong passwords, by HTTP status (0: the connection was refused or dropped).</summary>
    public ConcurrentDictionary<HttpStatusCode, int> GuessAnswers { get; } = new();

    public static IReadOnlyList<IPAddress> Sources(int count) => [.. Enumerable.Range(10, count).Select(i => IPAddress.Parse($"127.0.0.{i}"))];

    /// <summary>Starts the flood from <paramref name="sourceCount"/> addresses, each holding up to <paramref name="bareConnections"/> bare connections.</summary>
    public static LoginFlood Start(int port, string thumbprint, int sourceCount = 5, int bareConnections = 20)
    {
        var flood = new LoginFlood(port);
        foreach (IPAddress source in Sources(sourceCount))
        {
            for (int i = 0; i < bareConnections; i++)
            {
                flood._workers.Add(Task.Run(() => flood.HoldBareConnectionsAsync(source)));
            }

            for (int i = 0; i < SlowHandshakesPerSource; i++)
            {
                flood._workers.Add(Task.Run(() => flood.SendSlowHandshakesAsync(source)));
            }

            for (int i = 0; i < GuessersPerSource; i++)
            {
                int guesser = i;
                flood._workers.Add(Task.Run(() => flood.GuessPasswordsAsync(source, port, thumbprint, guesser)));
            }
        }

        return flood;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _stop.Dispose();
    }

    /// <summary>Connects, sends nothing, holds the connection until the gateway drops it, and connects again.</summary>
    private Task HoldBareConnectionsAsync(IPAddress source)
        => RepeatAsync(async token =>
        {
            await using Stream stream = await RawLogin.ConnectFromAsync(source, _target, token);
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, token);
        });

    /// <summary>Starts a TLS handshake (a record header announcing a ClientHello) and sends the rest one byte a second.</summary>
    private Task SendSlowHandshakesAsync(IPAddress source)
        => RepeatAsync(async token =>
        {
            await using Stream stream = await RawLogin.ConnectFromAsync(source, _target, token);
            await stream.WriteAsync(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 }, token);
            for (int i = 0; i < 512; i++)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), token);
                await stream.WriteAsync(new byte[] { 0x01 }, token);
            }
        });

    /// <summary>Wrong passwords, in turn for the real account and for accounts that do not exist.</summary>
    private Task GuessPasswordsAsync(IPAddress source, int port, string thumbprint, int guesser)
    {
        int attempt = 0;
        return RepeatAsync(async _ =>
        {
            string user = attempt++ % 2 == 0 ? RealAccount : $@"AZURESTACK\nobody{guesser}{attempt}";
            (HttpStatusCode Status, string? Failure) answer = await RawLogin.AttemptAsync("127.0.0.1", port, thumbprint, user, "Wrong-Guess-" + attempt, source);
            GuessAnswers.AddOrUpdate(answer.Status, 1, (_, count) => count + 1);
        });
    }

    /// <summary>Runs <paramref name="attack"/> again and again until the flood stops; refused or dropped connections are part of it.</summary>
    private async Task RepeatAsync(Func<CancellationToken, Task> attack)
    {
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await attack(token);
            }
            catch (Exception e) when (e is IOException or SocketException or HttpRequestException or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // The gateway refused or dropped it, or the flood is stopping.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
