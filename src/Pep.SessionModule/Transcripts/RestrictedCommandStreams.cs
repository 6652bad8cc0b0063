using System.Collections;
using System.Management.Automation;

namespace Pep.SessionModule.Transcripts;

/// <summary>
/// Records what PowerShell's restricted commands (Get-Command, Get-Help, Select-Object, Measure-Object,
/// Get-FormatData, Out-Default, Exit-PSSession) write to their error, warning and information streams in the
/// session's endpoint stream log, also when the user silences them with <c>-ErrorAction Ignore</c>.
/// <para>
/// The session configuration's proxy function for each of them keeps one of these in a local variable and calls
/// the real cmdlet with <see cref="Parameters"/>: the user's own parameters, plus this list as the cmdlet's
/// <c>-ErrorVariable</c>, <c>-WarningVariable</c> and <c>-InformationVariable</c> ("+name": PowerShell appends
/// each record to the existing list at the moment the cmdlet writes it, so a record is on disk at once).
/// PowerShell keeps no trace of a record silenced with <c>Ignore</c>, not even in those variables, so
/// <c>Ignore</c> goes to the real cmdlet as <c>SilentlyContinue</c>: the user sees nothing either way, and the
/// only difference, the record in <c>$Error</c> and in the variables, is out of reach of a NoLanguage session.
/// Every other preference goes through unchanged, so what the user sees and how errors stop a command stay
/// exactly as they were.
/// </para>
/// <para>
/// Nothing here is reachable from the session: NoLanguage allows no type literal, no method call and no
/// variable-name parameter (<c>-ErrorVariable</c> is refused as a variable reference), and the list only ever
/// appends to this session's own log. It is a list to PowerShell only; reading it yields nothing.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1010", Justification = "PowerShell appends to a non-generic IList; nobody reads this list.")]
public sealed class RestrictedCommandStreams(string command) : IList
{
    /// <summary>The name of the proxy's local variable that holds this list.</summary>
    public const string VariableName = "pepStreams";

    private static readonly string[] Preferences = ["ErrorAction", "WarningAction", "InformationAction"];
    private static readonly string[] Variables = ["ErrorVariable", "WarningVariable", "InformationVariable"];

    /// <summary>The real cmdlet's parameters: the user's, with silenced records kept for the log.</summary>
    public static Dictionary<string, object?> Parameters(IDictionary<string, object?> bound)
    {
        ArgumentNullException.ThrowIfNull(bound);
        var parameters = new Dictionary<string, object?>(bound, StringComparer.OrdinalIgnoreCase);
        foreach (string preference in Preferences)
        {
            if (parameters.TryGetValue(preference, out object? value) && IsIgnore(value))
            {
                parameters[preference] = ActionPreference.SilentlyContinue;
            }
        }

        foreach (string variable in Variables)
        {
            parameters[variable] = "+" + VariableName;
        }

        return parameters;
    }

    private static bool IsIgnore(object? value) => value switch
    {
        ActionPreference preference => preference == ActionPreference.Ignore,
        PSObject wrapped => IsIgnore(wrapped.BaseObject),
        string text => text.Trim().Equals(nameof(ActionPreference.Ignore), StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    /// <summary>PowerShell appends each record here as the cmdlet writes it.</summary>
    public int Add(object? value)
    {
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case IContainsErrorRecord { ErrorRecord: { } error }:
                Record("error", error);
                break;
            case ErrorRecord error:
                Record("error", error);
                break;
            case WarningRecord warning:
                Record("warning", warning.Message);
                break;
            case InformationRecord information:
                Record("information", information.MessageData?.ToString() ?? "");
                break;
            case Exception exception:
                Record("error", exception.Message);
                break;
            default:
                break;
        }

        return -1;
    }

    private void Record(string stream, ErrorRecord error)
        => Record(stream, $"{error.FullyQualifiedErrorId}: {error.ErrorDetails?.Message ?? error.Exception.Message}");

    /// <summary>
    /// In the kernel at once, so it outlives a host killed mid-command; on disk when the session is sealed.
    /// A record that cannot be written ends the session (the gateway seals what there is): PowerShell gives a stream
    /// variable no way to refuse the command that writes to it.
    /// </summary>
    private void Record(string stream, string message)
    {
        try
        {
            SessionStreamLog.Append(stream, command, message, syncToDisk: false);
        }
        catch (StreamLogUnavailableException)
        {
            Environment.Exit(74);
        }
    }

    public void Insert(int index, object? value) => Add(value);

    public bool IsFixedSize => false;

    public bool IsReadOnly => false;

    public int Count => 0;

    public bool IsSynchronized => false;

    public object SyncRoot => this;

    public object? this[int index]
    {
        get => throw new ArgumentOutOfRangeException(nameof(index));
        set => Add(value);
    }

    public void Clear()
    {
    }

    public bool Contains(object? value) => false;

    public int IndexOf(object? value) => -1;

    public void Remove(object? value)
    {
    }

    public void RemoveAt(int index)
    {
    }

    public void CopyTo(Array array, int index)
    {
    }

    public IEnumerator GetEnumerator() => Enumerable.Empty<object>().GetEnumerator();
}
