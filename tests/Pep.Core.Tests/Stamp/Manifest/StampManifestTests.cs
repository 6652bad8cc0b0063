using Pep.Core.Stamp.Lifecycle;
using Pep.Core.Stamp.Manifest;

namespace Pep.Core.Tests.Stamp.Manifest;

public sealed class StampManifestTests
{
    private const string Valid = """
        {
          "schema": 1, "name": "azs", "region": "local", "domain": "azurestack.external",
          "nodes": [ { "name": "NODE01", "bmc": { "update": { "argv": [ "/usr/local/bin/bmc-set", "--node", "NODE01" ] } } } ],
          "roles": [
            { "name": "Storage", "order": 20,
              "logs": [ { "path": "/var/log/storage", "pattern": "*.log", "node": "NODE01" } ],
              "healthTests": [ { "category": "AzsStorageSvcsSummary", "name": "answers", "kind": "Http", "url": "http://127.0.0.1:8080/health", "timeoutSeconds": 3 } ],
              "stop": { "argv": [ "/usr/bin/systemctl", "stop", "storage" ] },
              "start": { "argv": [ "/usr/bin/systemctl", "start", "storage" ], "timeoutSeconds": 90 } },
            { "name": "DNS", "order": 10, "reload": { "argv": [ "/usr/bin/systemctl", "reload", "dns" ] } }
          ],
          "dns": { "forwardersFile": "/etc/stamp/forwarders.conf", "role": "DNS", "serverSettingsFile": "/etc/stamp/server.conf" }
        }
        """;

    [Fact]
    public void Parse_ValidManifest_ReadsRolesTestsAndCommands()
    {
        StampManifest manifest = StampManifest.Parse(Valid, "test");

        StampRole storage = manifest.FindRole("storage")!;
        Assert.Equal("Storage", storage.Name);
        Assert.Equal(HealthTestKind.Http, storage.HealthTests[0].Kind);
        Assert.Equal(3, storage.HealthTests[0].TimeoutSeconds);
        Assert.Equal(["/usr/bin/systemctl", "start", "storage"], storage.Start!.Argv);
        Assert.Equal(90, storage.Start.TimeoutSeconds);
        Assert.Equal(60, storage.Stop!.TimeoutSeconds);
        Assert.Equal("NODE01", storage.Logs[0].Node);
        Assert.Equal(["/usr/local/bin/bmc-set", "--node", "NODE01"], manifest.Nodes[0].Bmc!.Update.Argv);
        Assert.Null(manifest.Nodes[0].Bmc!.Store);
        Assert.Equal("/etc/stamp/server.conf", manifest.Dns!.ServerSettingsFile);
    }

    [Fact]
    public void StartOrder_SortsByOrder_AndStopIsItsReverse()
    {
        StampManifest manifest = StampManifest.Parse(Valid, "test");

        Assert.Equal(["DNS", "Storage"], manifest.StartOrder().Select(r => r.Name));
        Assert.Equal(["Storage", "DNS"], StampLifecycle.Order(manifest, RoleAction.Stop).Select(r => r.Name));
    }

    [Theory]
    [InlineData("\"/usr/bin/systemctl\", \"stop\"", "\"systemctl\", \"stop\"", "absolute path")]
    [InlineData("\"/var/log/storage\"", "\"logs/storage\"", "must be absolute")]
    [InlineData("\"url\": \"http://127.0.0.1:8080/health\"", "\"url\": \"file:///etc/passwd\"", "http or https")]
    [InlineData("\"node\": \"NODE01\"", "\"node\": \"NODE09\"", "does not declare")]
    [InlineData("\"name\": \"DNS\"", "\"name\": \"Storage\"", "declared twice")]
    [InlineData("\"reload\": {", "\"restart\": {", "restart")]
    [InlineData("\"/usr/local/bin/bmc-set\"", "\"bmc-set\"", "node NODE01 bmc update needs an argv")]
    [InlineData("\"/etc/stamp/server.conf\"", "\"server.conf\"", "serverSettingsFile must be an absolute path")]
    public void Parse_Refuses_WhatTheEndpointShouldNotActOn(string valid, string broken, string expected)
    {
        string json = Valid.Replace(valid, broken, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        StampManifestException error = Assert.Throws<StampManifestException>(() => StampManifest.Parse(json, "test"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoStamp_IsValid_AndRoundTrips()
    {
        string folder = Path.Combine(Path.GetTempPath(), "pep-unit-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            int port = 40000;
            StampManifest demo = DemoStamp.Build("azs", "local", "azurestack.external", folder, ["/usr/bin/dotnet", "/opt/pep/pep.dll"], () => port++);
            string file = Path.Combine(folder, "stamp.json");
            demo.Save(file);

            StampManifest loaded = StampManifest.Load(file);
            Assert.Equal(["DNS", "Storage", "Compute", "Portal"], loaded.StartOrder().Select(r => r.Name));
            Assert.Equal("DNS", loaded.Dns!.Role);
            Assert.All(loaded.Roles, r => Assert.Equal("/usr/bin/dotnet", r.Start!.Argv[0]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
