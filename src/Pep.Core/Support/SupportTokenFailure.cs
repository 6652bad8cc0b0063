namespace Pep.Core.Support;

/// <summary>Why a support session token was refused. Used as part of the error id the operator sees.</summary>
public enum SupportTokenFailure
{
    /// <summary>More text than any token can be: refused before any decoding.</summary>
    TooLong,

    /// <summary>The checksum does not match or the text is not base64url: a bad copy and paste.</summary>
    Damaged,

    /// <summary>The text decodes but does not start like a token of this project.</summary>
    NotAToken,

    /// <summary>A request where a response is expected, or the other way round.</summary>
    WrongKind,

    /// <summary>Any cryptographic or structural failure after the checksum: one uniform message.</summary>
    Invalid,

    /// <summary>The request or the response is past its expiry.</summary>
    Expired,

    /// <summary>The session has no one-time key waiting for a response (never asked, already used, or replaced).</summary>
    NoPendingRequest,

    /// <summary>The session is elevated already.</summary>
    AlreadyElevated,
}
