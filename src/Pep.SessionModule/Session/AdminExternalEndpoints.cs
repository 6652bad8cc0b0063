namespace Pep.SessionModule.Session;

/// <summary>
/// The stamp's administrator endpoints under the original's property names, so that tools written for it read
/// <c>.AdminExternalEndpoints.AdminResourceManager</c>. Shown as the original shows its object.
/// </summary>
public sealed record AdminExternalEndpoints(string AdminPortal, string AdminResourceManager)
{
    public override string ToString() => $"@{{AdminPortal={AdminPortal}; AdminResourceManager={AdminResourceManager}}}";
}
