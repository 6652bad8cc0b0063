using System.Text.RegularExpressions;

namespace Pep.Core.Accounts;

/// <summary>
/// A CloudAdmin account name, written <c>DOMAIN\user</c> or <c>user</c>. The domain, when given, must be
/// the stamp's NetBIOS domain; names compare case-insensitively, as Windows account names do.
/// </summary>
public sealed partial record AccountName
{
    private AccountName(string user) => User = user;

    /// <summary>The user part, lower-cased: the key in the credential store.</summary>
    public string User { get; }

    /// <summary>Parses what a user typed. Returns null, with a reason, for anything that is not a plain account name.</summary>
    public static AccountName? TryParse(string? text, string stampDomain, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "The user name is empty.";
            return null;
        }

        string candidate = text.Trim();
        int slash = candidate.IndexOf('\\', StringComparison.Ordinal);
        if (slash >= 0)
        {
            string domain = candidate[..slash];
            candidate = candidate[(slash + 1)..];
            if (!string.Equals(domain, stampDomain, StringComparison.OrdinalIgnoreCase))
            {
                error = $"The domain must be '{stampDomain}'.";
                return null;
            }
        }

        if (!UserPattern().IsMatch(candidate))
        {
            error = "A user name has 1 to 64 letters, digits, '.', '-' or '_', and starts with a letter or digit.";
            return null;
        }

        return new AccountName(candidate.ToLowerInvariant());
    }

    /// <summary>Formats the account as <c>DOMAIN\user</c>.</summary>
    public string Qualified(string stampDomain) => $"{stampDomain.ToUpperInvariant()}\\{User}";

    public override string ToString() => User;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();
}
