using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// Re-login tickets through the real client module and gateway: which login used one is read from the gateway's audit
/// events (1375 accepted, 1376 refused, 1377 issued), never from timing.
/// </summary>
public sealed class ReloginTicketTests
{
    private const string Connect = "New-PepSession -ComputerName $computers -CertificateThumbprint $thumbprint -ConnectingTimeout 180000";

    [Fact]
    public async Task ASecondSessionFromTheSameConsole_LogsInWithTheTicket_AndAnotherConsoleHasNone()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult console = await deployment.RunClientAsync($$"""
            $first = {{Connect}} -Credential $cred
            $second = {{Connect}} -Credential $cred
            $output = {{Connect}} -Credential $cred -Verbose 4>&1
            $third = $output | Where-Object { $_ -is [System.Management.Automation.Runspaces.PSSession] }
            $said = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join ' | '
            [pscustomobject]@{ Instance = (Invoke-Command -Session $third { Get-AzureStackStampInformation }).CurrentInstance; Said = $said } | ConvertTo-Json -Compress
            """);
        JsonElement json = SessionTests.LastJson(console);
        Assert.Equal("ERCS01", json.GetProperty("Instance").GetString());
        // The client says only that a ticket went with the password, never the ticket.
        Assert.Contains("; a re-login ticket from this console's last login goes with the password.", json.GetProperty("Said").GetString(), StringComparison.Ordinal);
        EndpointInstance instance = deployment.Running[0];
        await WaitForEventsAsync(instance, 1375, 2);

        ProcessResult otherConsole = await deployment.RunClientAsync($"$null = {Connect} -Credential $cred; 'in'");
        Assert.Equal("in", SessionTests.LastLine(otherConsole));
        await WaitForEventsAsync(instance, 1377, 4);

        Assert.Equal(2, Events(instance, 1375).Count(line => line.Contains("Login of AZURESTACK\\cloudadmin from 127.0.0.1 accepted with a re-login ticket", StringComparison.Ordinal)));
        Assert.Empty(Events(instance, 1376));
    }

    [Fact]
    public async Task APasswordChange_EndsTheTicket_SoTheOldPasswordIsRefused_AndTheNewOneLogsIn()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult result = await deployment.RunClientAsync($$"""
            $pep = {{Connect}} -Credential $cred
            $old = ConvertTo-SecureString 'Operator-Pass-42' -AsPlainText -Force
            $new = ConvertTo-SecureString 'Second-Pass-77x' -AsPlainText -Force
            $null = Invoke-Command -Session $pep { New-CloudAdminUser operator2 $using:old }
            $operator = [pscredential]::new('AZURESTACK\operator2', $old)
            $verified = {{Connect}} -Credential $operator
            $byTicket = {{Connect}} -Credential $operator
            Invoke-Command -Session $pep { Set-CloudAdminUserPassword -UserName operator2 -CurrentPassword $using:old -NewPassword $using:new } 6>$null
            $oldPassword = try { $null = {{Connect}} -Credential $operator; 'in' } catch { $_.FullyQualifiedErrorId }
            $newPassword = try { $null = {{Connect}} -Credential ([pscredential]::new('AZURESTACK\operator2', $new)); 'in' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Old = $oldPassword; New = $newPassword } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("InvalidCredential,", json.GetProperty("Old").GetString(), StringComparison.Ordinal);
        Assert.Equal("in", json.GetProperty("New").GetString());
        EndpointInstance instance = deployment.Running[0];
        await WaitForEventsAsync(instance, 1376, 1);
        Assert.Single(Events(instance, 1375), line => line.Contains("Login of AZURESTACK\\operator2 from 127.0.0.1", StringComparison.Ordinal));
        Assert.Contains("Re-login ticket refused for 'AZURESTACK\\operator2' from 127.0.0.1: AccountChanged", Assert.Single(Events(instance, 1376)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPasswordWithATicket_IsRefused_CountedAsAFailedLogin_AndTheClientForgetsTheTicket()
    {
        await using TestDeployment deployment = await TestDeployment.CreateAsync(1);
        await deployment.StartAllAsync();

        ProcessResult result = await deployment.RunClientAsync($$"""
            $pep = {{Connect}} -Credential $cred
            $wrong = [pscredential]::new($cred.UserName, (ConvertTo-SecureString 'Wrong-Password-1' -AsPlainText -Force))
            $withTicket = try { $null = {{Connect}} -Credential $wrong; 'in' } catch { $_.FullyQualifiedErrorId }
            $withoutTicket = try { $null = {{Connect}} -Credential $wrong; 'in' } catch { $_.FullyQualifiedErrorId }
            [pscustomobject]@{ WithTicket = $withTicket; WithoutTicket = $withoutTicket } | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.StartsWith("InvalidCredential,", json.GetProperty("WithTicket").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCredential,", json.GetProperty("WithoutTicket").GetString(), StringComparison.Ordinal);
        EndpointInstance instance = deployment.Running[0];
        await WaitForEventsAsync(instance, 1101, 2);
        // The ticket went with the first wrong password only (the client forgot it on the refusal), and was refused.
        Assert.Contains(": WrongPassword;", Assert.Single(Events(instance, 1376)), StringComparison.Ordinal);
        Assert.Empty(Events(instance, 1375));
        // Both wrong passwords were verified and counted against the account, as without tickets.
        Assert.Equal(2L, FailedLogins(deployment, "cloudadmin"));
    }

    private static IEnumerable<string> Events(EndpointInstance instance, int id)
        => instance.Output.Split('\n').Where(line => line.Contains($"Pep.Gateway[{id}]", StringComparison.Ordinal));

    /// <summary>The gateway's log reaches its output a moment after the client's answer.</summary>
    private static Task WaitForEventsAsync(EndpointInstance instance, int id, int count)
        => EndpointInstance.WaitUntilAsync(() => Events(instance, id).Count() >= count, () => $"{count} events {id} in the gateway's output:\n{instance.Output}");

    private static long FailedLogins(TestDeployment deployment, string user)
    {
        using var connection = new SqliteConnection($"Data Source={deployment.Layout.AccountDatabase};Pooling=False");
        connection.Open();
        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT count FROM failed_logins WHERE user = $user;";
        select.Parameters.AddWithValue("$user", user);
        return select.ExecuteScalar() is long count ? count : 0;
    }
}
