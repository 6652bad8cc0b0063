using System.CommandLine;

namespace Pep.Cli.Commands;

/// <summary>
/// <c>pep authority</c>: the vendor's side of break the glass. <c>init</c> makes the authority's key pairs,
/// <c>grant</c> answers a request token, <c>recover</c> a CloudAdmin password recovery token, <c>register</c> gives a
/// deployment the authority's public bundle.
/// </summary>
internal static class AuthorityCommand
{
    public static Command Create() => new("authority", "The support authority: key pairs, grants of support session tokens, answers to password recoveries, registration with a stamp.")
    {
        AuthorityInitCommand.Create(),
        AuthorityGrantCommand.Create(),
        AuthorityRecoverCommand.Create(),
        AuthorityRegisterCommand.Create(),
    };
}
