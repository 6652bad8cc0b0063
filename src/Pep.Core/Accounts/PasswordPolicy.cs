namespace Pep.Core.Accounts;

/// <summary>
/// The password policy for CloudAdmin accounts: at least 12 characters, at most 256, three of the four
/// character classes (upper case, lower case, digits, symbols), and not containing the user name.
/// </summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 256;

    public const string Description =
        "A password has 12 to 256 characters, uses three of upper case, lower case, digits and symbols, and does not contain the user name.";

    /// <summary>Null when the password is acceptable, else the rule it breaks (never the password itself).</summary>
    public static string? Check(ReadOnlySpan<char> password, string user)
    {
        if (password.Length < MinimumLength || password.Length > MaximumLength)
        {
            return $"The password must have {MinimumLength} to {MaximumLength} characters.";
        }

        int classes = 0;
        classes += ContainsAny(password, char.IsUpper) ? 1 : 0;
        classes += ContainsAny(password, char.IsLower) ? 1 : 0;
        classes += ContainsAny(password, char.IsDigit) ? 1 : 0;
        classes += ContainsAny(password, c => !char.IsLetterOrDigit(c)) ? 1 : 0;
        if (classes < 3)
        {
            return "The password must use three of: upper case letters, lower case letters, digits, symbols.";
        }

        if (user.Length >= 3 && password.Contains(user, StringComparison.OrdinalIgnoreCase))
        {
            return "The password must not contain the user name.";
        }

        return null;
    }

    private static bool ContainsAny(ReadOnlySpan<char> text, Func<char, bool> predicate)
    {
        foreach (char c in text)
        {
            if (predicate(c))
            {
                return true;
            }
        }

        return false;
    }
}
