using Pep.Core.Contracts;

namespace Pep.ClientModule.Transport;

/// <summary>The stamp's legal notice as the gateway handed it over with the session (<see cref="LegalNoticeHeaders"/>).</summary>
internal sealed record DeliveredLegalNotice(string Caption, string Text)
{
    /// <summary>The notice in the upgrade's answer; null when the gateway sent none, or one this client cannot read.</summary>
    public static DeliveredLegalNotice? From(IReadOnlyDictionary<string, IEnumerable<string>>? headers)
        => headers is not null
            && LegalNoticeHeaders.TryDecode(First(headers, LegalNoticeHeaders.Caption), out string caption)
            && LegalNoticeHeaders.TryDecode(First(headers, LegalNoticeHeaders.Text), out string text)
            ? new DeliveredLegalNotice(caption, text)
            : null;

    private static string? First(IReadOnlyDictionary<string, IEnumerable<string>> headers, string name)
        => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
