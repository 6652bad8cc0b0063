using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
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
[Trait(Requires.Trait, Requires.Root)]
[Trait(Requires.Trait, Requires.NetworkNamespaces)]
[Trait(Requires.Trait, Requires.Etcd)]
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
    public async Task AnAccountMadeWithNewCloudAdminUserOnErcs01_LogsInOnErcs02_WhichReadsTheLegalNoticeSetOnErcs01()
    {
        ProcessResult made = await cluster.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $password = ConvertTo-SecureString '{{UserPassword}}' -AsPlainText -Force
            $created = Invoke-Command -Session $pep { New-CloudAdminUser brokered $using:password }
            $null = Invoke-Command -Session $pep { Set-AzSLegalNotice -Caption 'Shared notice' -Text 'Set through ERCS01.' }
            [pscustomobject]@{ Created = $created.UserName; Instance = (Invoke-Command -Session $pep { Get-AzureStackStampInformation }).CurrentInstance } | ConvertTo-Json -Compress
            """, cluster.ComputerNames(1));
        JsonElement first = SessionTests.LastJson(made);
        Assert.Equal((@"AZURESTACK\brokered", "ERCS01"), (first.GetProperty("Created").GetString(), first.GetProperty("Instance").GetString()));

        ProcessResult read = await cluster.RunClientAsync("""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            $notice = Invoke-Command -Session $pep { Get-AzSLegalNotice }
            $info = Invoke-Command -Session $pep { Get-AzureStackStampInformation }
            $users = @(Invoke-Command -Session $pep { Get-CloudAdminUserList } | ForEach-Object UserName)
            $null = Invoke-Command -Session $pep { Set-AzSLegalNotice -Caption '' -Text '' }
            [pscustomobject]@{ Instance = $info.CurrentInstance; Caption = $notice.Caption; Text = $notice.Text; Users = $users } | ConvertTo-Json -Compress
            """, cluster.ComputerNames(2), @"AZURESTACK\brokered", UserPassword);
        JsonElement second = SessionTests.LastJson(read);
        Assert.Equal("ERCS02", second.GetProperty("Instance").GetString());
        Assert.Equal(("Shared notice", "Set through ERCS01."), (second.GetProperty("Caption").GetString(), second.GetProperty("Text").GetString()));
        Assert.Contains(@"AZURESTACK\brokered", second.GetProperty("Users").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task AnAccountsBudgetSpentOnErcs01_HoldsOnErcs02_ForSourcesThatNeverLoggedIn()
    {
        ProcessResult add = await cluster.RunPepOnHostAsync(2, UserPassword, "account", "add", "--state", cluster.Bundle(2).Root, "--user", "spent", "--password-env", "PEP_TEST_PASSWORD");
        Assert.True(add.ExitCode == 0, add.ToString());

        // Three failures (the budget in this deployment) on ERCS01; nothing is locked, each is an ordinary refusal.
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            (HttpStatusCode status, string? failure) = await RawLogin.AttemptAsync(cluster.Lab.Address(1), ThreeHostCluster.Port, cluster.Thumbprint, @"AZURESTACK\spent", "wrong-password");
            Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"), (status, failure));
        }

        // ERCS02 sees the same count: it does not even check the right password from a source new to the account.
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"),
            await RawLogin.AttemptAsync(cluster.Lab.Address(2), ThreeHostCluster.Port, cluster.Thumbprint, @"AZURESTACK\spent", UserPassword));
        await EndpointInstance.WaitUntilAsync(() => cluster.Instance(2).Output.Contains("budget of failed logins is spent", StringComparison.Ordinal), "ERCS02 logged the spent budget");

        using SharedState state = cluster.OpenSharedState(3);
        Assert.Equal(3, state.Accounts.GetFailedAttempts("spent")!.Count);
    }

    [Fact]
    public async Task ARemovedAccountsRecordAndAnOldPasswordRecord_WrittenBackIntoEtcd_AreRefused()
    {
        ProcessResult add = await cluster.RunPepOnHostAsync(1, UserPassword, "account", "add", "--state", cluster.Bundle(1).Root, "--user", "replayed", "--password-env", "PEP_TEST_PASSWORD");
        Assert.True(add.ExitCode == 0, add.ToString());
        using SharedState state = cluster.OpenSharedState(1);
        using SigningKey stampKey = SigningKey.Load(cluster.Bundle(1).StampPrivateKey);
        var accounts = new AccountService(state.Accounts, stampKey, "AZURESTACK", AccountAttemptBudget.Default, null, TimeProvider.System);
        AccountName name = AccountName.TryParse("replayed", "AZURESTACK", out _)!;
        AccountRecord first = accounts.Find(name)!;
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await LoginOnErcs02(UserPassword)).Status);

        // A password change, then the old record written back by someone with access to etcd but not the stamp key.
        Assert.True(accounts.TryReplacePassword(first, UserPassword + "-new"));
        AccountRecord second = accounts.Find(name)!;
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await LoginOnErcs02(UserPassword + "-new")).Status);
        Assert.True(state.Accounts.TryReplace(first, second.Signature));
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"), await LoginOnErcs02(UserPassword));

        // The current record put back; the account removed (a signed tombstone); then its record from before written back.
        Assert.True(state.Accounts.TryReplace(second, first.Signature));
        Assert.Equal(AccountRemoval.Removed, accounts.Remove(name));
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"), await LoginOnErcs02(UserPassword + "-new"));
        Assert.True(state.Accounts.TryReplace(first, state.Accounts.Find("replayed")!.Signature));
        Assert.Equal((HttpStatusCode.Unauthorized, "InvalidCredential"), await LoginOnErcs02(UserPassword));

        // The gateway's log reaches its output a moment after the answer.
        await EndpointInstance.WaitUntilAsync(
            () => Regex.Count(cluster.Instance(2).Output, "Login refused for replayed: the stored account record is older than one this instance has seen") == 2,
            "ERCS02 logged both refusals of a replayed record", TimeSpan.FromSeconds(30));
    }

    private Task<(HttpStatusCode Status, string? Failure)> LoginOnErcs02(string password)
        => RawLogin.AttemptAsync(cluster.Lab.Address(2), ThreeHostCluster.Port, cluster.Thumbprint, @"AZURESTACK\replayed", password);

    [Fact]
    public async Task TwoInstancesCreatingOneUserAtOnce_GiveOneUserAndOneClearError()
    {
        // Two processes cannot be lined up to the same instant from here; this checks what the operator sees (one
        // user, one clear "already exists"). The transaction under a forced race is the next test's, with a barrier.
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

        var budget = new AccountAttemptBudget(1000, TimeSpan.FromDays(1));
        using var together = new Barrier(2);
        await Task.WhenAll(
            Task.Run(() => { for (int i = 0; i < 20; i++) { together.SignalAndWait(); first.Accounts.RecordFailure("race0", DateTimeOffset.UtcNow, budget); } }),
            Task.Run(() => { for (int i = 0; i < 20; i++) { together.SignalAndWait(); second.Accounts.RecordFailure("race0", DateTimeOffset.UtcNow, budget); } }));
        Assert.Equal(40, first.Accounts.GetFailedAttempts("race0")!.Count);
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
        return new AccountRecord(user, 1, AccountStatus.Active, verifier, now, now, key.Sign(AccountRecord.SignedBytes(user, 1, AccountStatus.Active, verifier, now, now)));
    }
}
