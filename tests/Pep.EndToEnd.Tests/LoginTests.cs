using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Every refusal at login, through the real client: each stops at once and leaves the endpoint serving.</summary>
public sealed class LoginTests
{
    internal const string TryConnect = """
        try {
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -WarningVariable warnings -WarningAction SilentlyContinue
            [pscustomobject]@{ Id = 'Connected'; Message = ''; Warnings = @($warnings).Count } | ConvertTo-Json -Compress
        } catch {
            [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Warnings = @($warnings).Count } | ConvertTo-Json -Compress
        }
        """;

    [Fact]
    public async Task WrongPasswordAndUnknownUser_AreRefusedAlikeAndAtOnce()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync();
        await deployment.StartAllAsync();

        JsonElement wrong = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect, password: "Wrong-Password-1"));
        JsonElement unknown = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect, user: @"AZURESTACK\nobody"));

        Assert.StartsWith("InvalidCredential,", wrong.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCredential,", unknown.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Equal(wrong.GetProperty("Message").GetString()!.Split(": ", 2)[1], unknown.GetProperty("Message").GetString()!.Split(": ", 2)[1]);
        Assert.Equal(0, wrong.GetProperty("Warnings").GetInt32());

        // A refused credential did not go on to count failures on the other instances.
        Assert.DoesNotContain("Login refused", await OutputOfAsync(deployment, 1), StringComparison.Ordinal);
        Assert.Equal("Connected", SessionTests.LastJson(await deployment.RunClientAsync(TryConnect)).GetProperty("Id").GetString());
    }

    [Fact]
    public async Task AnAccountLockedByAnAdministrator_IsRefusedLikeAWrongPassword_UntilUnlocked()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult locked = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "account", "lock", "--state", deployment.StateDirectory, "--user", "cloudadmin"]);
        Assert.True(locked.ExitCode == 0, locked.ToString());
        JsonElement whileLocked = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect));
        ProcessResult unlocked = await ProcessRunner.RunAsync("dotnet", [RepositoryPaths.PepDll, "account", "unlock", "--state", deployment.StateDirectory, "--user", "cloudadmin"]);
        Assert.True(unlocked.ExitCode == 0, unlocked.ToString());
        JsonElement afterUnlock = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect));

        Assert.StartsWith("InvalidCredential,", whileLocked.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Contains("Login refused for cloudadmin from 127.0.0.1: an administrator locked the account", deployment.Running[0].Output, StringComparison.Ordinal);
        Assert.Equal("Connected", afterUnlock.GetProperty("Id").GetString());
    }

    [Fact]
    public async Task AccountRecordAddedToTheStoreByHand_IsRefused()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        // Someone with write access to the store but not the stamp key copies a valid record under a new name.
        using (var connection = new SqliteConnection($"Data Source={deployment.Layout.AccountDatabase};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand copy = connection.CreateCommand();
            copy.CommandText = "INSERT INTO accounts SELECT 'intruder', version, status, salt, iterations, hash, created_utc, password_changed_utc, signature, ssh_keys FROM accounts WHERE user = 'cloudadmin';";
            Assert.Equal(1, copy.ExecuteNonQuery());
        }

        await deployment.StartAllAsync();
        JsonElement result = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect, user: @"AZURESTACK\intruder"));

        Assert.StartsWith("InvalidCredential,", result.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Contains("not signed by the stamp key", await OutputOfAsync(deployment, 0), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCertificate_IsRefusedWithItsThumbprintAndHowToTrustIt()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        JsonElement unpinned = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect.Replace("-CertificateThumbprint $thumbprint", "", StringComparison.Ordinal)));
        JsonElement wrongPin = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect.Replace("$thumbprint", "('AB' * 32)", StringComparison.Ordinal)));

        Assert.StartsWith("UntrustedCertificate,", unpinned.GetProperty("Id").GetString(), StringComparison.Ordinal);
        Assert.Contains(deployment.Thumbprint, unpinned.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.Contains("-CertificateThumbprint", unpinned.GetProperty("Message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("UntrustedCertificate,", wrongPin.GetProperty("Id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCulture_IsRefusedByTheClient()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        JsonElement result = SessionTests.LastJson(await deployment.RunClientAsync(TryConnect.Replace("-WarningVariable", "-Culture xx-NOPE -WarningVariable", StringComparison.Ordinal)));

        Assert.StartsWith("InvalidCulture,", result.GetProperty("Id").GetString(), StringComparison.Ordinal);
    }

    private static Task<string> OutputOfAsync(TestDeployment deployment, int index)
        => Task.FromResult(deployment.Running[index].Output);
}
