namespace Pep.SessionModule.Session;

/// <summary>The stamp's tenant endpoints under the original's property names (<c>.TenantExternalEndpoints.TenantResourceManager</c>).</summary>
public sealed record TenantExternalEndpoints(string TenantPortal, string TenantResourceManager)
{
    public override string ToString() => $"@{{TenantPortal={TenantPortal}; TenantResourceManager={TenantResourceManager}}}";
}
