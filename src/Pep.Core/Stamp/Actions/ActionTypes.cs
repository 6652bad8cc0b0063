namespace Pep.Core.Stamp.Actions;

/// <summary>
/// The kind of work an action is, named from the cmdlet that started it: the original's Get-ActionStatus -ActionType
/// ("type name of the operation action") picks actions by it.
/// </summary>
public static class ActionTypes
{
    public const string StampLifecycle = "StampLifecycle";
    public const string SecretRotation = "SecretRotation";
    public const string LogCollection = "LogCollection";
    public const string OnDemandLog = "OnDemandLog";

    /// <summary>Every type, for the cmdlet's parameter validation.</summary>
    public static readonly string[] All = [StampLifecycle, SecretRotation, LogCollection, OnDemandLog];

    /// <summary>The type of an action started by <paramref name="functionName"/>; "Other" for a cmdlet this version does not know.</summary>
    public static string Of(string functionName) => functionName.ToUpperInvariant() switch
    {
        "START-AZURESTACK" or "STOP-AZURESTACK" => StampLifecycle,
        "START-SECRETROTATION" => SecretRotation,
        "GET-AZURESTACKLOG" or "GET-CLUSTERLOG" => LogCollection,
        "INVOKE-AZURESTACKONDEMANDLOG" => OnDemandLog,
        _ => "Other",
    };
}
