namespace Pep.Core.Certificates;

/// <summary>
/// One step of a rotation, named <c>Verb:Object</c>: <c>Create:&lt;certificate&gt;</c> (internal: a new
/// certificate, staged), <c>Fetch</c> (external: every .pfx read and checked, then staged),
/// <c>Install:&lt;certificate&gt;</c> (the staged file swapped in) and <c>Reload:&lt;role&gt;</c>.
/// </summary>
public sealed record RotationStep
{
    public const string Create = "Create";
    public const string Fetch = "Fetch";
    public const string Install = "Install";
    public const string Reload = "Reload";

    public required string Name { get; init; }

    public bool Done { get; init; }

    public string Verb => Name.Split(':', 2)[0];

    public string Object => Name.Split(':', 2) is [_, var target] ? target : string.Empty;

    public static RotationStep Of(string verb, string target = "") => new() { Name = target.Length == 0 ? verb : verb + ":" + target };
}
