using Pep.Core.Deployment;
using Pep.Core.Stamp.Manifest;
using Pep.SessionModule.Session;

namespace Pep.SessionModule.Tests;

/// <summary>Get-AzureStackStampInformation's object: the original's shape first, this endpoint's properties after.</summary>
public sealed class StampInformationTests
{
    private static readonly DeploymentConfig Config = new()
    {
        Stamp = new StampIdentity
        {
            Name = "azs", RegionName = "east", DomainNetBiosName = "AZURESTACK", DomainFqdn = "azurestack.local", ExternalDomainFqdn = "contoso.test",
            CloudId = Guid.NewGuid(), DeploymentId = Guid.NewGuid(),
        },
        Instances =
        [
            new InstanceConfig { Name = "ERCS01", Address = "10.0.0.11", Port = 4443 },
            new InstanceConfig { Name = "ERCS02", Address = "10.0.0.12", Port = 4443 },
        ],
    };

    [Fact]
    public void WithoutAManifest_EndpointsHaveTheOriginalsNamesAndConventionalUrls()
    {
        StampInformation information = StampInformation.From(Config, "ERCS02", null);

        Assert.Equal("https://adminmanagement.east.contoso.test/", information.AdminExternalEndpoints.AdminResourceManager);
        Assert.Equal("https://adminportal.east.contoso.test/", information.AdminExternalEndpoints.AdminPortal);
        Assert.Equal("https://management.east.contoso.test/", information.TenantExternalEndpoints.TenantResourceManager);
        Assert.Equal("https://portal.east.contoso.test/", information.TenantExternalEndpoints.TenantPortal);
        Assert.Equal(0, information.NumberOfNodes);
        Assert.Empty(information.PublishedEndpoints);
    }

    [Fact]
    public void EmergencyConsoleAddresses_HaveNoPorts_TheEndpointsWithPortsAreAnExtraProperty()
    {
        StampInformation information = StampInformation.From(Config, "ERCS02", null);

        Assert.Equal(["10.0.0.11", "10.0.0.12"], information.EmergencyConsoleIPAddresses);
        Assert.Equal(["10.0.0.11:4443", "10.0.0.12:4443"], information.EmergencyConsoleEndpoints);
        Assert.Equal(["ERCS01", "ERCS02"], information.EmergencyConsoleInstances);
        Assert.Equal("ERCS02", information.CurrentInstance);
    }

    [Fact]
    public void TheManifestsEndpoints_FillTheNamedPropertiesByConventionalOrPropertyName_AndAreAllKept()
    {
        var manifest = new StampManifest
        {
            Name = "azs", Region = "east", Domain = "contoso.test",
            Nodes = [new StampNode { Name = "AZS-NODE01" }, new StampNode { Name = "AZS-NODE02" }],
            ExternalEndpoints =
            [
                new ExternalEndpoint { Name = "AdminPortal", Url = "https://admin.example/", Audience = "Admin" },
                new ExternalEndpoint { Name = "adminmanagement", Url = "https://arm-admin.example/", Audience = "Admin" },
                new ExternalEndpoint { Name = "portal", Url = "https://tenant.example/", Audience = "Tenant" },
                new ExternalEndpoint { Name = "blob", Url = "https://blob.example/", Audience = "Tenant" },
            ],
        };

        StampInformation information = StampInformation.From(Config, "ERCS01", manifest);

        Assert.Equal(new AdminExternalEndpoints("https://admin.example/", "https://arm-admin.example/"), information.AdminExternalEndpoints);
        Assert.Equal(new TenantExternalEndpoints("https://tenant.example/", "https://management.east.contoso.test/"), information.TenantExternalEndpoints);
        Assert.Equal(2, information.NumberOfNodes);
        Assert.Equal(["portal", "blob"], information.PublishedEndpoints.Where(e => e.Audience == "Tenant").Select(e => e.Name));
    }

    [Fact]
    public void NamedEndpoints_ShowAsTheOriginalShowsThem()
        => Assert.Equal("@{AdminPortal=https://a/; AdminResourceManager=https://b/}", new AdminExternalEndpoints("https://a/", "https://b/").ToString());
}
