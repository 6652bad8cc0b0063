namespace Pep.Core.Contracts;

/// <summary>
/// The names the client module and the gateway must agree on to open a session. Compiled into both (the
/// client module links this file): a rename here renames both sides at once.
/// </summary>
public static class WireProtocol
{
    /// <summary>The WebSocket endpoint every session opens.</summary>
    public const string SessionPath = "/PrivilegedEndpoint";

    /// <summary>The port an instance listens on unless its deployment names another.</summary>
    public const int DefaultPort = 4443;

    /// <summary>The query parameter that carries the session's culture (formatting).</summary>
    public const string CultureQuery = "culture";

    /// <summary>The query parameter that carries the session's UI culture (messages, help).</summary>
    public const string UICultureQuery = "uiCulture";

    /// <summary>The culture and UI culture of a session that asks for none.</summary>
    public const string DefaultCulture = "en-US";

    /// <summary>Response header of a refusal: the <see cref="FailureKind"/> name.</summary>
    public const string ErrorHeader = "X-Pep-Error";

    /// <summary>Response header of a refusal: the text shown to the operator (printable ASCII).</summary>
    public const string MessageHeader = "X-Pep-Message";
}
