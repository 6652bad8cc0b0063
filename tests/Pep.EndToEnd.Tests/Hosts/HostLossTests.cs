using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Hosts;

/// <summary>One of three hosts is lost, etcd member and instance with it: the other two carry on.</summary>
[Collection(ThreeHosts.Name)]
[Trait(Requires.Trait, Requires.Root)]
[Trait(Requires.Trait, Requires.NetworkNamespaces)]
[Trait(Requires.Trait, Requires.Etcd)]
public sealed class HostLossTests(ThreeHostCluster cluster) : IClassFixture<ThreeHostCluster>
{
    [Fact]
    public async Task HostThreeLost_TheOtherTwoServeLoginsAndAccountChanges_AndTheClientFailsOverToThem()
    {
        await cluster.LoseHostAsync(3);

        // An account change needs the etcd quorum, which two of three members still make.
        const string password = "Carry-On-Pw-1234-x";
        ProcessResult add = await cluster.RunPepOnHostAsync(2, password, "account", "add", "--state", cluster.Bundle(2).Root, "--user", "survivor", "--password-env", "PEP_TEST_PASSWORD");
        Assert.True(add.ExitCode == 0, add.ToString());

        // The operator lists the lost instance first: New-PepSession moves on to ERCS01.
        ProcessResult failover = await cluster.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 10000
            [pscustomobject]@{ Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance } | ConvertTo-Json -Compress
            """, cluster.ComputerNames(3, 1));
        Assert.Equal("ERCS01", SessionTests.LastJson(failover).GetProperty("Instance").GetString());

        ProcessResult newAccount = await cluster.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            [pscustomobject]@{ Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance } | ConvertTo-Json -Compress
            """, cluster.ComputerNames(2), @"AZURESTACK\survivor", password);
        JsonElement json = SessionTests.LastJson(newAccount);
        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
    }
}
