using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Pep.Core.Platform;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Stamp.Health;

/// <summary>Runs one declared health test within its own timeout.</summary>
public sealed class HealthProbe : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpClient _httpAnyCertificate;
    private readonly TimeProvider _time;

    public HealthProbe(TimeProvider time)
    {
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var lenient = new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false };
        // Only for tests that declare SkipCertificateCheck: an internal service's self-signed certificate is not what they test.
#pragma warning disable CA5359
        lenient.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        _httpAnyCertificate = new HttpClient(lenient) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<HealthTestResult> RunAsync(string role, HealthTest test, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(test.TimeoutSeconds));
        (bool passed, string detail) outcome;
        try
        {
            outcome = test.Kind switch
            {
                HealthTestKind.Tcp => await TcpAsync(test, deadline.Token),
                HealthTestKind.Http => await HttpAsync(test, deadline.Token),
                HealthTestKind.Command => await CommandAsync(test, cancellationToken),
                HealthTestKind.FileFreshness => FileFreshness(test),
                HealthTestKind.FreeDisk => FreeDisk(test),
                _ => (false, $"unknown kind {test.Kind}"),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = (false, $"no answer within {test.TimeoutSeconds.ToString(CultureInfo.InvariantCulture)} s");
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or IOException or UnauthorizedAccessException)
        {
            outcome = (false, e.Message);
        }

        HealthStatus status = outcome.passed ? HealthStatus.Pass : test.WarningOnly ? HealthStatus.Warn : HealthStatus.Fail;
        return new HealthTestResult(role, test.Category, test.Name, status, outcome.detail, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<(bool, string)> TcpAsync(HealthTest test, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(test.Host!, test.Port, cancellationToken);
        return (true, string.Create(CultureInfo.InvariantCulture, $"{test.Host}:{test.Port} accepts connections"));
    }

    private async Task<(bool, string)> HttpAsync(HealthTest test, CancellationToken cancellationToken)
    {
        HttpClient client = test.SkipCertificateCheck ? _httpAnyCertificate : _http;
        using HttpResponseMessage response = await client.GetAsync(new Uri(test.Url!), cancellationToken);
        int status = (int)response.StatusCode;
        if (status != test.ExpectStatus)
        {
            return (false, string.Create(CultureInfo.InvariantCulture, $"{test.Url} answered {status}, expected {test.ExpectStatus}"));
        }

        if (test.ExpectBody is { } expected)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!body.Contains(expected, StringComparison.Ordinal))
            {
                return (false, $"{test.Url} answered {status} without '{expected}' in its body");
            }
        }

        return (true, string.Create(CultureInfo.InvariantCulture, $"{test.Url} answered {status}"));
    }

    private static async Task<(bool, string)> CommandAsync(HealthTest test, CancellationToken cancellationToken)
    {
        CommandOutcome outcome = await CommandRunner.RunAsync(test.Argv!, TimeSpan.FromSeconds(test.TimeoutSeconds), cancellationToken);
        string name = System.IO.Path.GetFileName(test.Argv![0]);
        return outcome.ExitCode == test.ExpectExitCode && !outcome.TimedOut
            ? (true, $"{name}: {outcome.Describe()}")
            : (false, $"{name}: {outcome.Describe()}, expected exit code {test.ExpectExitCode.ToString(CultureInfo.InvariantCulture)}");
    }

    private (bool, string) FileFreshness(HealthTest test)
    {
        var file = new FileInfo(test.Path!);
        if (!file.Exists)
        {
            return (false, $"{test.Path} does not exist");
        }

        TimeSpan age = _time.GetUtcNow() - file.LastWriteTimeUtc;
        string ageText = age.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        return age.TotalSeconds <= test.MaxAgeSeconds
            ? (true, $"{test.Path} written {ageText} s ago")
            : (false, string.Create(CultureInfo.InvariantCulture, $"{test.Path} last written {ageText} s ago (limit {test.MaxAgeSeconds} s)"));
    }

    private static (bool, string) FreeDisk(HealthTest test)
    {
        var drive = new DriveInfo(test.Path!);
        long freeMegabytes = drive.AvailableFreeSpace / (1024 * 1024);
        string text = string.Create(CultureInfo.InvariantCulture, $"{freeMegabytes} MB free on {drive.Name} (minimum {test.MinFreeMegabytes} MB)");
        return (freeMegabytes >= test.MinFreeMegabytes, text);
    }

    public void Dispose()
    {
        _http.Dispose();
        _httpAnyCertificate.Dispose();
    }
}
