using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Certificates;

public sealed class CertificateManifestTests
{
    private static string Manifest(string certificate) => $$"""
        {
          "schema": 1, "name": "azs", "region": "local", "domain": "azurestack.external",
          "roles": [ { "name": "Portal", "reload": { "argv": [ "/bin/true" ] } }, { "name": "Storage" } ],
          "certificates": [ {{certificate}} ]
        }
        """;

    [Fact]
    public void Parse_ReadsCertificates()
    {
        StampManifest manifest = StampManifest.Parse(Manifest("""
            { "name": "portal", "kind": "External", "subjectNames": [ "portal.local.azurestack.external", "*.blob.local.azurestack.external" ],
              "path": "/var/lib/pep/certs/portal.pfx", "role": "Portal" }
            """), "test");

        StampCertificate portal = Assert.Single(manifest.Certificates);
        Assert.Equal(CertificateKind.External, portal.Kind);
        Assert.Equal("/var/lib/pep/certs/portal.crt", portal.PemPath);
    }

    [Theory]
    [InlineData("""{ "name": "PrivilegedEndpoint", "subjectNames": [ "a.b" ], "path": "/x/a.pfx" }""", "reserved")]
    [InlineData("""{ "name": "portal", "subjectNames": [ "a.b" ], "path": "certs/portal.pfx" }""", "absolute path ending in .pfx")]
    [InlineData("""{ "name": "portal", "subjectNames": [ "a.b" ], "path": "/x/portal.crt" }""", "absolute path ending in .pfx")]
    [InlineData("""{ "name": "portal", "subjectNames": [ ], "path": "/x/portal.pfx" }""", "needs subjectNames")]
    [InlineData("""{ "name": "portal", "subjectNames": [ "a b" ], "path": "/x/portal.pfx" }""", "needs subjectNames")]
    [InlineData("""{ "name": "portal", "subjectNames": [ "a.b" ], "path": "/x/portal.pfx", "role": "Storage" }""", "reload command")]
    [InlineData("""{ "name": "../portal", "subjectNames": [ "a.b" ], "path": "/x/portal.pfx" }""", "certificate name")]
    public void Parse_RefusesUnusableCertificates(string certificate, string problem)
    {
        var e = Assert.Throws<StampManifestException>(() => StampManifest.Parse(Manifest(certificate), "test"));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
