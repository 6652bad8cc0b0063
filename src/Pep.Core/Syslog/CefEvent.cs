namespace Pep.Core.Syslog;

/// <summary>
/// One security event as the original endpoint forwards it: a signature id (the gateway's event id), a name, a
/// severity from 0 to 10 and extension fields (CEF keys such as <c>suser</c>, <c>src</c>, <c>msg</c>), in order.
/// </summary>
public sealed record CefEvent(int SignatureId, string Name, int Severity, IReadOnlyList<KeyValuePair<string, string>> Extensions);
