using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>The account cmdlets end to end: changes made through one instance are used at once by the other.</summary>
[Collection("Stamp")]
public sealed class CloudAdminAccountTests
{
    private const string NewPassword = "Operator-Pass-42";

    [Fact]
    public async Task NewCloudAdminUser_CanLogInAtOnceOnTheOtherInstance_AndCannotRemoveItself()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(2);
        await deployment.StartAllAsync();

        ProcessResult result = await deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers[0] -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000 -Culture de-DE
            $password = ConvertTo-SecureString '{{NewPassword}}' -AsPlainText -Force
            $created = Invoke-Command -Session $pep { New-CloudAdminUser operator2 $using:password }
            $weakPassword = ConvertTo-SecureString 'short' -AsPlainText -Force
            $weak = try { Invoke-Command -Session $pep { New-CloudAdminUser operator3 $using:weakPassword } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            $taken = try { Invoke-Command -Session $pep { New-CloudAdminUser operator2 $using:password } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            $self = try { Invoke-Command -Session $pep { Remove-CloudAdminUser cloudadmin -SkipConfirmation } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }

            $operator = [pscredential]::new('AZURESTACK\operator2', $password)
            $other = New-PepSession -ComputerName $computers[1] -Credential $operator -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $instance = (Invoke-Command -Session $other { Get-AzureStackStampInformation }).CurrentInstance
            Invoke-Command -Session $other { Remove-CloudAdminUser cloudadmin -WhatIf }
            [pscustomobject]@{
                Created = $created.UserName; Weak = $weak; Taken = $taken; Self = $self; Instance = $instance
                AfterWhatIf = @(Invoke-Command -Session $other { Get-CloudAdminUserList } | ForEach-Object UserName)
            } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal(@"AZURESTACK\operator2", json.GetProperty("Created").GetString());
        Assert.StartsWith("PasswordPolicyNotMet,", json.GetProperty("Weak").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("CloudAdminUserExists,", json.GetProperty("Taken").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("CannotRemoveOwnAccount,", json.GetProperty("Self").GetString(), StringComparison.Ordinal);
        Assert.Equal("ERCS02", json.GetProperty("Instance").GetString());
        Assert.Equal([@"AZURESTACK\cloudadmin", @"AZURESTACK\operator2"], json.GetProperty("AfterWhatIf").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task SetCloudAdminUserPassword_ChecksTheCurrentOne_AndRemoveTakesTheAccountAway()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult result = await deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $first = ConvertTo-SecureString '{{NewPassword}}' -AsPlainText -Force
            $second = ConvertTo-SecureString 'Second-Pass-77x' -AsPlainText -Force
            $wrong = ConvertTo-SecureString 'Wrong-Pass-99zz' -AsPlainText -Force
            $null = Invoke-Command -Session $pep { New-CloudAdminUser operator2 $using:first }
            $bad = try { Invoke-Command -Session $pep { Set-CloudAdminUserPassword -UserName operator2 -CurrentPassword $using:wrong -NewPassword $using:second } -ErrorAction Stop; 'ran' } catch { $_.FullyQualifiedErrorId }
            Invoke-Command -Session $pep { Set-CloudAdminUserPassword -UserName operator2 -CurrentPassword $using:first -NewPassword $using:second } 6>$null
            $oldWorks = try { $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\operator2', $first)) -CertificateThumbprint $thumbprint -ConnectingTimeout 180000; $true } catch { $false }
            $newWorks = try { $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\operator2', $second)) -CertificateThumbprint $thumbprint -ConnectingTimeout 180000; $true } catch { $false }
            Invoke-Command -Session $pep { Remove-CloudAdminUser -UserName operator2 -SkipConfirmation } 6>$null
            $afterRemove = try { $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\operator2', $second)) -CertificateThumbprint $thumbprint -ConnectingTimeout 180000; $true } catch { $false }
            [pscustomobject]@{ Bad = $bad; OldWorks = $oldWorks; NewWorks = $newWorks; AfterRemove = $afterRemove; Users = @(Invoke-Command -Session $pep { Get-CloudAdminUserList } | ForEach-Object UserName) } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("CurrentPasswordIncorrect,", json.GetProperty("Bad").GetString(), StringComparison.Ordinal);
        Assert.False(json.GetProperty("OldWorks").GetBoolean());
        Assert.True(json.GetProperty("NewWorks").GetBoolean());
        Assert.False(json.GetProperty("AfterRemove").GetBoolean());
        Assert.Equal([@"AZURESTACK\cloudadmin"], json.GetProperty("Users").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ARemovedAccountsRecordAndAnOldPasswordRecord_WrittenBackIntoTheStore_DoNotLogIn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();
        const string LeaverPassword = "Departing-Pass-31x";

        // Two accounts, each logged in once (so the instance has seen their records).
        ProcessResult created = await deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $first = ConvertTo-SecureString '{{NewPassword}}' -AsPlainText -Force
            $leaver = ConvertTo-SecureString '{{LeaverPassword}}' -AsPlainText -Force
            $null = Invoke-Command -Session $pep { New-CloudAdminUser operator2 $using:first; New-CloudAdminUser leaver $using:leaver }
            $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\operator2', $first)) -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\leaver', $leaver)) -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            'created'
            """);
        Assert.Equal("created", SessionTests.LastLine(created));
        Dictionary<string, object> savedOperator = ReadRow(deployment, "operator2");
        Dictionary<string, object> savedLeaver = ReadRow(deployment, "leaver");

        ProcessResult changed = await deployment.RunClientAsync($$"""
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 180000
            $first = ConvertTo-SecureString '{{NewPassword}}' -AsPlainText -Force
            $second = ConvertTo-SecureString 'Second-Pass-77x' -AsPlainText -Force
            Invoke-Command -Session $pep { Set-CloudAdminUserPassword -UserName operator2 -CurrentPassword $using:first -NewPassword $using:second; Remove-CloudAdminUser leaver -SkipConfirmation } 6>$null
            'changed'
            """);
        Assert.Equal("changed", SessionTests.LastLine(changed));

        // Someone with write access to the store, but not the stamp key, puts the saved records back.
        WriteRowBack(deployment, savedOperator);
        WriteRowBack(deployment, savedLeaver);

        ProcessResult replayed = await deployment.RunClientAsync($$"""
            $old = try { $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\operator2', (ConvertTo-SecureString '{{NewPassword}}' -AsPlainText -Force))) -CertificateThumbprint $thumbprint; 'in' } catch { $_.FullyQualifiedErrorId }
            $removed = try { $null = New-PepSession -ComputerName $computers -Credential ([pscredential]::new('AZURESTACK\leaver', (ConvertTo-SecureString '{{LeaverPassword}}' -AsPlainText -Force))) -CertificateThumbprint $thumbprint; 'in' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Old = $old; Removed = $removed } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(replayed);
        Assert.StartsWith("InvalidCredential,", json.GetProperty("Old").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCredential,", json.GetProperty("Removed").GetString(), StringComparison.Ordinal);
        // The gateway's log reaches its output a moment after the answer.
        await EndpointInstance.WaitUntilAsync(
            () => deployment.Running[0].Output.Contains("Login refused for operator2: the stored account record is older than one this instance has seen", StringComparison.Ordinal)
                  && deployment.Running[0].Output.Contains("Login refused for leaver: the stored account record is older than one this instance has seen", StringComparison.Ordinal),
            "the gateway logged both replayed records");
    }

    private static Dictionary<string, object> ReadRow(TestDeployment deployment, string user)
    {
        using var connection = new SqliteConnection($"Data Source={deployment.Layout.AccountDatabase};Pooling=False");
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT * FROM accounts WHERE user = $user;";
        select.Parameters.AddWithValue("$user", user);
        using SqliteDataReader reader = select.ExecuteReader();
        Assert.True(reader.Read());
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Column names come from the table itself; values travel as parameters.")]
    private static void WriteRowBack(TestDeployment deployment, Dictionary<string, object> row)
    {
        using var connection = new SqliteConnection($"Data Source={deployment.Layout.AccountDatabase};Pooling=False");
        connection.Open();
        using SqliteCommand replace = connection.CreateCommand();
        replace.CommandText = $"INSERT OR REPLACE INTO accounts ({string.Join(", ", row.Keys)}) VALUES ({string.Join(", ", row.Keys.Select(k => "$" + k))});";
        foreach ((string column, object value) in row)
        {
            replace.Parameters.AddWithValue("$" + column, value);
        }

        Assert.Equal(1, replace.ExecuteNonQuery());
    }
}
