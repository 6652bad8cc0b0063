using System.CommandLine;
using System.Security.Cryptography;
using Pep.Core.Support;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep authority grant --key DIR --duration 4h &lt; request.txt</c>: answers a request token with a response
/// token (printed on standard output) and appends the grant to the authority's log before printing it.
/// </summary>
internal static class AuthorityGrantCommand
{
    public static Command Create()
    {
        var key = new Option<DirectoryInfo>("--key") { Description = "The authority directory made by 'pep authority init'.", Required = true };
        var duration = new Option<string>("--duration") { Description = "How long the session may stay elevated: 4h, 90m, 1h30m, 45s (at most 8h).", Required = true };
        var grantedBy = new Option<string?>("--granted-by") { Description = "Who grants it, for the authority's log (default: the OS user)." };
        var request = new Option<FileInfo?>("--request") { Description = "Read the request token from this file instead of standard input." };
        var command = new Command("grant", "Answer a support session request token with a response token.") { key, duration, grantedBy, request };
        command.SetAction(parse =>
        {
            const string Caller = "pep authority grant";
            TimeSpan granted;
            try
            {
                granted = SupportDuration.Parse(parse.GetValue(duration)!);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"{Caller}: {e.Message}");
                return ExitCodes.InvalidInput;
            }

            string who = parse.GetValue(grantedBy) is { Length: > 0 } name ? name : Environment.UserName;
            return Answer(Caller, parse.GetValue(key)!.FullName, parse.GetValue(request)?.FullName, (authority, requestText, log) =>
            {
                SupportGrant grant = authority.Grant(requestText, granted, who);
                SupportGrantLog.Append(log, grant);
                Console.Error.WriteLine($"Granted {SupportDuration.Format(grant.Duration)} to support session {grant.SessionId} (request {grant.RequestHash[..16]}), by {who}; the response expires at {grant.ExpiresUtc:u}.");
                return grant.ResponseToken;
            });
        });
        return command;
    }

    /// <summary>
    /// Reads the request, loads the authority and prints the response <paramref name="answer"/> makes (after it logged
    /// the grant in the authority's log, whose path it is given); a refused request or a missing key is an exit code.
    /// </summary>
    internal static int Answer(string caller, string directory, string? requestFile, Func<SupportAuthority, string, string, string> answer)
    {
        try
        {
            string requestText = ReadBounded(requestFile);
            using SupportAuthority authority = SupportAuthority.Load(directory, TimeProvider.System);
            Console.WriteLine(answer(authority, requestText, Path.Combine(directory, SupportAuthority.GrantLogFile)));
            return ExitCodes.Success;
        }
        catch (SupportTokenException e)
        {
            Console.Error.WriteLine($"{caller}: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (ArgumentOutOfRangeException e)
        {
            Console.Error.WriteLine($"{caller}: {e.Message.Split(Environment.NewLine)[0]}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            Console.Error.WriteLine($"{caller}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Reads the request, never more than a token can be: a runaway pipe must not fill memory.</summary>
    private static string ReadBounded(string? path)
    {
        using TextReader reader = path is null ? Console.In : new StreamReader(path);
        char[] buffer = new char[SupportTokenText.MaxTextLength + 1];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = reader.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        return new string(buffer, 0, total);
    }
}
