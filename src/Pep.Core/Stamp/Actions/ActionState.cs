namespace Pep.Core.Stamp.Actions;

/// <summary>Where a tracked action is: running, ended one way or the other, or cut off by its gateway's end.</summary>
public enum ActionState
{
    Running,
    Succeeded,
    Failed,

    /// <summary>The gateway that held the action stopped (or was killed) before the action ended: what it had done is unknown.</summary>
    Interrupted,
}
