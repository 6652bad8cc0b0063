using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Before authentication, against the real gateway: what one source does, however hostile, never keeps an
/// operator at another address out. Attackers leave from other loopback addresses (127.0.0.x); the operator
/// is the real pwsh client, from 127.0.0.1.
/// </summary>
public sealed partial class PreAuthenticationTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task FailedLoginsFromOneAddress_BlockThatAddress_WhileTheOperatorLogsInFromAnother()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1, config => config with
        {
            Limits = config.Limits with { LoginFailuresBeforeSlowdown = 1, LoginSlowdownStepSeconds = 0.2, LoginFailuresBeforeBlock = 3 },
        });
        await deployment.StartAllAsync();

        var answers = new List<(HttpStatusCode, string?)>();
        for (int i = 0; i < 4; i++)
        {
            answers.Add(await AttemptAsync(deployment, TestDeployment.AdminUser, "Wrong-Password-1", Attacker));
        }

        // The source is blocked, so even the right password from it is refused, before any check...
        answers.Add(await AttemptAsync(deployment, TestDeployment.AdminUser, deployment.AdminPassword, Attacker));
        // ...while the account itself is not locked: the operator, from another address, gets in.
        JsonElement operatorLogin = SessionTests.LastJson(await deployment.RunClientAsync(LoginTests.TryConnect));

        Assert.Equal(
            [Refused, Refused, Refused, Blocked, Blocked],
            answers);
        Assert.Equal("Connected", operatorLogin.GetProperty("Id").GetString());
        await EndpointInstance.WaitUntilAsync(() => deployment.Running[0].Output.Contains("Source 127.0.0.2 blocked until", StringComparison.Ordinal), "the gateway logged the block");
    }

    [Fact]
    public async Task UnknownAndKnownAccounts_AreAnsweredAlike_InStatusAndInTime()
    {
        // No slow-down or block here: the test measures the answers themselves, many of them.
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1, config => config with
        {
            Limits = config.Limits with { LoginFailuresBeforeSlowdown = 1000, LoginFailuresBeforeBlock = 1000 },
        });
        await deployment.StartAllAsync();
        await AttemptAsync(deployment, TestDeployment.AdminUser, "Warm-Up-Password-1", Attacker);

        var known = new List<(HttpStatusCode, string?)>();
        var unknown = new List<(HttpStatusCode, string?)>();
        var knownTimes = new List<double>();
        var unknownTimes = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            // Interleaved, so that the machine's load at any moment weighs on both alike.
            knownTimes.Add(await TimeAsync(() => AttemptAsync(deployment, TestDeployment.AdminUser, "Wrong-Password-" + i, Attacker), known));
            unknownTimes.Add(await TimeAsync(() => AttemptAsync(deployment, $@"AZURESTACK\nobody{i}", "Wrong-Password-" + i, Attacker), unknown));
        }

        // Same answer every time (the old lockout answered 423 after five failures, and waited longer each time).
        Assert.All(known, answer => Assert.Equal(Refused, answer));
        Assert.All(unknown, answer => Assert.Equal(Refused, answer));

        // Same time: the medians differ by less than a quarter (each is a PBKDF2 verification, a few hundred ms),
        // and neither side is slower in most pairs (a sign test's 2-of-12 bound, generous against noise).
        double knownMedian = Median(knownTimes), unknownMedian = Median(unknownTimes);
        Assert.True(Math.Abs(knownMedian - unknownMedian) < 0.25 * Math.Max(knownMedian, unknownMedian),
            $"known {knownMedian:0} ms, unknown {unknownMedian:0} ms (medians); known {string.Join(", ", knownTimes.Select(t => t.ToString("0")))}; unknown {string.Join(", ", unknownTimes.Select(t => t.ToString("0")))}");
        int knownSlower = knownTimes.Zip(unknownTimes).Count(pair => pair.First > pair.Second);
        Assert.InRange(knownSlower, 2, 10);
    }

    [Fact]
    public async Task AFloodOfConnectionsAndWrongPasswords_FromAHandfulOfAddresses_LeavesTheOperatorsLoginWorking()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        EndpointInstance instance = await deployment.StartAsync("ERCS01");

        ProcessResult operatorSession;
        LoginFlood flood = LoginFlood.Start(deployment.Instances[0].Port, deployment.Thumbprint);
        await using (flood)
        {
            // Let the flood take whatever it can take first: every source's connections, then its blocks.
            await EndpointInstance.WaitUntilAsync(() => flood.GuessAnswers.GetValueOrDefault(HttpStatusCode.TooManyRequests) > 0, "a flooding source was blocked", TimeSpan.FromSeconds(90));
            operatorSession = await deployment.RunClientAsync("""
                $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
                (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance
                Remove-PSSession $pep
                """);
        }

        Assert.Equal("ERCS01", SessionTests.LastLine(operatorSession));
        Assert.True(flood.GuessAnswers.GetValueOrDefault(HttpStatusCode.Unauthorized) > 0, string.Join(", ", flood.GuessAnswers));

        // The refusals are summarised: at most one line per source and interval, never one per connection.
        await EndpointInstance.WaitUntilAsync(() => RefusalSummary().IsMatch(instance.Output), "the gateway summarised its refusals", TimeSpan.FromSeconds(90));
        string[] summaries = [.. RefusalSummary().Matches(instance.Output).Select(m => m.Value)];
        Assert.Contains(summaries, line => line.Contains("from 127.0.0.10 ", StringComparison.Ordinal) && line.Contains("SourceConnectionLimit", StringComparison.Ordinal));
        int lines = instance.Output.Split('\n').Length;
        Assert.True(lines < 400, $"{lines} lines of gateway log:\n{instance.Output}");
    }

    [Fact]
    public async Task ASessionThatLoggedIn_NoLongerCountsAmongItsSourcesConnectionsNotYetLoggedIn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1, config => config with
        {
            Limits = config.Limits with { MaxPreAuthConnectionsPerSource = 1 },
        });
        await deployment.StartAllAsync();

        // One connection at a time may be logging in from 127.0.0.1: the held session must have left that count.
        using HeldSession held = await HeldSession.OpenAsync(deployment);
        JsonElement second = SessionTests.LastJson(await deployment.RunClientAsync(LoginTests.TryConnect));

        Assert.Equal("Connected", second.GetProperty("Id").GetString());
        Assert.Equal("ERCS01", (await held.RunCommandAsync()).Trim());
    }

    private static readonly (HttpStatusCode, string?) Refused = (HttpStatusCode.Unauthorized, "InvalidCredential");
    private static readonly (HttpStatusCode, string?) Blocked = (HttpStatusCode.TooManyRequests, "SourceBlocked");

    private static Task<(HttpStatusCode Status, string? Failure)> AttemptAsync(TestDeployment deployment, string user, string password, IPAddress source)
        => RawLogin.AttemptAsync("127.0.0.1", deployment.Instances[0].Port, deployment.Thumbprint, user, password, source);

    private static async Task<double> TimeAsync(Func<Task<(HttpStatusCode, string?)>> attempt, List<(HttpStatusCode, string?)> answers)
    {
        long start = Stopwatch.GetTimestamp();
        answers.Add(await attempt());
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }

    [GeneratedRegex(@"Refused \d+ connections or logins from \S+ in the last \d+ s: [^\n]*")]
    private static partial Regex RefusalSummary();
}
