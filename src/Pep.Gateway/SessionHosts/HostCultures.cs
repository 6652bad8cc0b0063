using System.Globalization;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// The culture (formatting) and UI culture (messages, help) a session host runs in. Both are fixed before
/// pwsh starts (see <c>SessionUICulture</c> in the session module for why the UI culture cannot follow later), so a
/// warm host serves only logins that ask for both.
/// </summary>
internal sealed record HostCultures(CultureInfo Culture, CultureInfo UICulture)
{
    public override string ToString() => $"{Culture.Name}/{UICulture.Name}";
}
