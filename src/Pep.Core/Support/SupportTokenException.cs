namespace Pep.Core.Support;

/// <summary>
/// The one error the token code throws: parsers, the endpoint and the authority refuse a token only with
/// this type, so callers (and the fuzz test) can rely on it. The message is meant for the operator; it never
/// says which cryptographic check failed (<see cref="SupportTokenFailure.Invalid"/> has one uniform message).
/// </summary>
public sealed class SupportTokenException : Exception
{
    public SupportTokenException(SupportTokenFailure failure)
        : base(MessageFor(failure)) => Failure = failure;

    public SupportTokenException(SupportTokenFailure failure, string message)
        : base(message) => Failure = failure;

    public SupportTokenFailure Failure { get; }

    public static string MessageFor(SupportTokenFailure failure) => failure switch
    {
        SupportTokenFailure.TooLong => $"The token is longer than any support session token ({SupportTokenText.MaxTextLength} characters at most).",
        SupportTokenFailure.Damaged => "The token was damaged in transit: a character is missing, added or changed. Copy it again, whole (at the ResponseToken: prompt, as one line).",
        SupportTokenFailure.NotAToken => "This text is not a support session token.",
        SupportTokenFailure.WrongKind => "This is the wrong kind of support session token (a request where a response is expected, or the other way round).",
        SupportTokenFailure.Invalid => "The token is not valid here: it was not issued for this request by the registered support authority.",
        SupportTokenFailure.Expired => "The token has expired. Start again with Get-SupportSessionToken.",
        SupportTokenFailure.NoPendingRequest => "This session has no pending support request (a response token is accepted once, by the session whose request it answers). Run Get-SupportSessionToken first.",
        SupportTokenFailure.AlreadyElevated => "This session is already elevated.",
        _ => "The token was refused.",
    };
}
