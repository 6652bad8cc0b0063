using System.CommandLine;
using Pep.Core.Support;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep authority recover --key DIR &lt; recovery.txt</c>: answers a CloudAdmin password recovery token with a signed
/// response token (printed on standard output), after appending the recovery (its account, id and request hash) to the
/// authority's log. The vendor's checks of who asks (the customer's support case) happen before this is run.
/// </summary>
internal static class AuthorityRecoverCommand
{
    public static Command Create()
    {
        var key = new Option<DirectoryInfo>("--key") { Description = "The authority directory made by 'pep authority init'.", Required = true };
        var grantedBy = new Option<string?>("--granted-by") { Description = "Who signs it, for the authority's log (default: the OS user)." };
        var request = new Option<FileInfo?>("--request") { Description = "Read the recovery token from this file instead of standard input." };
        var command = new Command("recover", "Answer a CloudAdmin password recovery token (Get-CloudAdminPasswordRecoveryToken) with a signed response token.") { key, grantedBy, request };
        command.SetAction(parse =>
        {
            string who = parse.GetValue(grantedBy) is { Length: > 0 } name ? name : Environment.UserName;
            return AuthorityGrantCommand.Answer("pep authority recover", parse.GetValue(key)!.FullName, parse.GetValue(request)?.FullName, (authority, requestText, log) =>
            {
                PasswordRecoveryGrant grant = authority.GrantRecovery(requestText, who);
                SupportGrantLog.Append(log, grant);
                Console.Error.WriteLine($"Signed the password recovery {grant.RecoveryId} of {grant.Account} (request {grant.RequestHash[..16]}), by {who}; the response expires at {grant.ExpiresUtc:u}.");
                return grant.ResponseToken;
            });
        });
        return command;
    }
}
