using System.Net;
using System.Text.Json;
using Pep.Core.Accounts;
using Pep.Core.Security;
using Pep.Core.Storage;
using Pep.EndToEnd.Tests.Infrastructure;
using Pep.EndToEnd.Tests.Infrastructure.Hosts;

namespace Pep.EndToEnd.Tests.Hosts;

/// <summary>
/// Three hosts (network namespaces), each with an etcd member and an endpoint instance: what one instance
/// changes, the others see, and two instances changing the same thing at once never both win.
/// </summary>
[Collection(ThreeHosts.Name)]
public sealed class SharedStateAcrossHostsTests(ThreeHostCluster cluster) : IClassFixture<ThreeHostCluster>
{
    private const string UserPassword = "Operator-Pw-1234-x";

    [Fact]
    public async Task AccountMadeOnErcs01_LogsInOnErcs03()
    {
        ProcessResult add = await cluster.RunPepOnHostAsync(1, UserPassword, "account", "add", "--state", cluster.Bundle(1).Root, "--user", @"AZURESTACK\operator1", "--password-env", "PEP_TEST_PASSWORD");
        Assert.True(add.ExitCode == 0, add.ToString());

        ProcessResult result = await cluster.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $info = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
            [pscustomobject]@{ Instance = $info.CurrentInstance; Computer = $pep.ComputerName } | ConvertTo-Json -Compress
            """, cluster.ComputerNames(3), @"AZURESTACK\operator1", UserPassword);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("ERCS03", json.GetProperty("Instance").GetString());
        Assert.Equal(cluster.Lab.Address(3), json.GetProperty("Computer").GetString());
    }

    [Fact]
    public async Task LockoutEarnedOnErcs01_HoldsOnErcs02()
    {
        ProcessResult add = await cluster.RunPepOnHostAsync(2, UserPassword, "account", "add", "--state", cluster.Bundle(2).Root, "--user", "lockme", "--password-env", "PEP_TEST_PASSWORD");
        Assert.True(add.ExitCode == 0, add.ToString());

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            (HttpStatusCode status, string? failure) = await RawLogin.AttemptAsync(cluster.Lab.Address(1), ThreeHostCluster.Port, cluster.Thumbprint, @"AZURESTACK\lockme", "wrong-password");
            Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"), (status, failure));
        }

        // The third failure (the limit in this deployment) is made on ERCS01 too and locks the account.
        Assert.Equal((HttpStatusCode.Locked, "AccountLocked"),
            await RawLogin.AttemptAsync(cluster.Lab.Address(1), ThreeHostCluster.Port, cluster.Thumbprint, @"AZURESTACK\lockme", "wrong-password"));

        // ERCS02 refuses even the right password: it sees the same counter.
        ProcessResult result = await cluster.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ErrorAction Stop | Out-Null; 'opened' }
            catch { $_.FullyQualifiedErrorId }
            """, cluster.ComputerNames(2), @"AZURESTACK\lockme", UserPassword);
        Assert.StartsWith("AccountLocked", SessionTests.LastLine(result), StringComparison.Ordinal);

        using SharedState state = cluster.OpenSharedState(3);
        Assert.Equal(3, state.Accounts.GetLoginState("lockme").ConsecutiveFailures);
    }

    [Fact]
    public async Task TwoInstancesCreatingOneUserAtOnce_GiveOneUserAndOneClearError()
    {
        Task<ProcessResult> onFirst = cluster.RunPepOnHostAsync(1, UserPassword, "account", "add", "--state", cluster.Bundle(1).Root, "--user", "twin", "--password-env", "PEP_TEST_PASSWORD");
        Task<ProcessResult> onSecond = cluster.RunPepOnHostAsync(2, UserPassword + "2", "account", "add", "--state", cluster.Bundle(2).Root, "--user", "twin", "--password-env", "PEP_TEST_PASSWORD");
        ProcessResult[] results = await Task.WhenAll(onFirst, onSecond);

        Assert.Single(results, r => r.ExitCode == 0);
        ProcessResult loser = Assert.Single(results, r => r.ExitCode != 0);
        Assert.Contains(@"the account 'AZURESTACK\twin' already exists", loser.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoStoreObjectsAgainstTheCluster_CreateEachUserOnceAndCountEveryFailure()
    {
        using SharedState first = cluster.OpenSharedState(1);
        using SharedState second = cluster.OpenSharedState(2);
        using SigningKey stampKey = SigningKey.Load(cluster.Bundle(1).StampPrivateKey);
        for (int round = 0; round < 10; round++)
        {
            string user = $"race{round}";
            AccountRecord a = Signed(stampKey, user), b = Signed(stampKey, user);
            using var start = new Barrier(2);
            bool[] added = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return first.Accounts.TryAdd(a); }),
                Task.Run(() => { start.SignalAndWait(); return second.Accounts.TryAdd(b); }));
            Assert.Single(added, r => r);
        }

        var policy = new LockoutPolicy(100, TimeSpan.Zero, 1000, TimeSpan.FromMinutes(1));
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < 20; i++) { first.Accounts.RecordFailure("race0", DateTimeOffset.UtcNow, policy); } }),
            Task.Run(() => { for (int i = 0; i < 20; i++) { second.Accounts.RecordFailure("race0", DateTimeOffset.UtcNow, policy); } }));
        Assert.Equal(40, first.Accounts.GetLoginState("race0").ConsecutiveFailures);
    }

    [Fact]
    public async Task EveryInstance_ReportsItsIdentityAndAReachableStore()
    {
        for (int host = 1; host <= 3; host++)
        {
            (HttpStatusCode status, JsonElement body) = await cluster.HealthAsync(host);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(ThreeHostCluster.InstanceName(host), body.GetProperty("instance").GetString());
            Assert.Equal("Reachable", body.GetProperty("store").GetString());
        }
    }

    private static AccountRecord Signed(SigningKey key, string user)
    {
        // One iteration: these records are never logged in with, and 600,000 would make the test slow.
        var verifier = new PasswordVerifier(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16), 1, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return new AccountRecord(user, verifier, now, now, key.Sign(AccountRecord.SignedBytes(user, verifier, now, now)));
    }
}
