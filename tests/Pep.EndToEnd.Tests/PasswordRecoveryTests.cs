using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// A CloudAdmin password recovery end to end: the operator's real pwsh client against a real instance, the vendor's
/// real <c>pep authority recover</c> run as a process with the recovery token on its standard input.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class PasswordRecoveryTests(SupportDeployment fixture) : IClassFixture<SupportDeployment>
{
    internal const string Open = "$pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint -ConnectingTimeout 120000\n";

    private string Variables => fixture.Variables + Functions;

    /// <summary>The vendor's answer, a SecureString, and a login as an account of the test, for the client scripts.</summary>
    internal const string Functions = """
        function Recover([string] $request, [string] $key = $authority) {
            $out = $request | & dotnet $pepDll authority recover --key $key --granted-by 'e2e vendor' 2>&1
            if ($LASTEXITCODE -ne 0) { throw "recover failed ($LASTEXITCODE): $out" }
            ($out | Where-Object { $_ -is [string] }) -join "`n"
        }
        function Secure([string] $text) { ConvertTo-SecureString $text -AsPlainText -Force }
        function LogIn([string] $user, [string] $password) {
            try {
                $s = New-PepSession -ComputerName $computers -Credential ([pscredential]::new("AZURESTACK\$user", (Secure $password))) -CertificateThumbprint $thumbprint -ConnectingTimeout 120000
                $instance = (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
                Remove-PSSession $s
                $instance
            } catch { $_.FullyQualifiedErrorId.Split(',')[0] }
        }

        """;

    [Fact]
    public async Task TheAuthoritysAnswer_SetsTheCommittedPassword_WhichLogsIn_AndWorksOnce()
    {
        const string OldPassword = "Recovery-Old-1a!";
        const string NewPassword = "Recovery-New-7q!";
        string marker = $"recovery-{Guid.NewGuid():N}";
        ProcessResult result = await fixture.Deployment.RunClientAsync(Variables + Open + $$"""
            $null = Invoke-Command -Session $pep { Get-Command -Name '{{marker}}' -ErrorAction Ignore }
            $old = Secure '{{OldPassword}}'
            $null = Invoke-Command -Session $pep { New-CloudAdminUser recover1 $using:old }
            $new = Secure '{{NewPassword}}'
            $r = [ordered]@{}
            $token = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName recover1 } -InformationVariable said
            $r.Said = "$said"
            $r.TokenLines = @($token -split "`n").Count
            $response = Recover $token
            $r.WhatIf = @(Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:response -WhatIf }).Count
            $r.OldBefore = LogIn recover1 '{{OldPassword}}'
            $done = Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:response }
            $r.Account = $done.Account
            $r.Replayed = Refusal { Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:response } -ErrorAction Stop }
            $r.NewLogsIn = LogIn recover1 '{{NewPassword}}'
            $r.OldLogsIn = LogIn recover1 '{{OldPassword}}'
            # Without -UserName, the account 'pep init' made (the token is answered, never completed: the fixture logs in with it).
            $default = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new }
            $null = Recover $default
            Remove-PSSession $pep
            [pscustomobject]$r | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Contains(@"of AZURESTACK\recover1, valid until", json.GetProperty("Said").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("TokenLines").GetInt32() > 2);
        Assert.Equal(0, json.GetProperty("WhatIf").GetInt32());
        Assert.Equal("ERCS01", json.GetProperty("OldBefore").GetString());
        Assert.Equal(@"AZURESTACK\recover1", json.GetProperty("Account").GetString());
        Assert.Equal("PasswordRecoveryTokenNoPendingRequest", json.GetProperty("Replayed").GetString());
        Assert.Equal("ERCS01", json.GetProperty("NewLogsIn").GetString());
        Assert.Equal("InvalidCredential", json.GetProperty("OldLogsIn").GetString());

        // The vendor's log names each account it answered for; the second line is the default account's.
        string[] grants = File.ReadAllLines(fixture.Authority.GrantLog);
        using JsonDocument recovered = JsonDocument.Parse(grants[^2]);
        using JsonDocument initial = JsonDocument.Parse(grants[^1]);
        Assert.Equal("passwordRecovery", recovered.RootElement.GetProperty("kind").GetString());
        Assert.Equal(@"AZURESTACK\recover1", recovered.RootElement.GetProperty("account").GetString());
        Assert.Equal(TestDeployment.AdminUser, initial.RootElement.GetProperty("account").GetString());

        // The gateway's audit log has the request and the change; neither it nor the sealed transcript has the password.
        EndpointInstance instance = fixture.Deployment.Running.Single();
        string requestHash = recovered.RootElement.GetProperty("requestHash").GetString()!;
        Assert.Contains($@"asked for a password recovery of AZURESTACK\recover1 (recovery {recovered.RootElement.GetProperty("recoveryId").GetString()}, request {requestHash[..16]}", instance.Output, StringComparison.Ordinal);
        Assert.Contains($@"completed the password recovery of AZURESTACK\recover1", instance.Output, StringComparison.Ordinal);
        Assert.Contains("Pep.Gateway[1942]", instance.Output, StringComparison.Ordinal);
        string transcript = await fixture.SealedTranscriptAsync(marker);
        Assert.Contains("Get-CloudAdminPasswordRecoveryToken", transcript, StringComparison.Ordinal);
        Assert.Contains("-Password (SecureString)", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(NewPassword, instance.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedTamperedReplacedOrWrongAnswers_AndBadInput_AreRefused_AndChangeNothing()
    {
        const string OldPassword = "Recovery-Old-2b!";
        ProcessResult result = await fixture.Deployment.RunClientAsync(Variables + Open + $$"""
            function Complete([string] $response) { Refusal { Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:response } -ErrorAction Stop } }
            $old = Secure '{{OldPassword}}'
            $null = Invoke-Command -Session $pep { New-CloudAdminUser recover2 $using:old }
            $new = Secure 'Recovery-New-8r!'
            $r = [ordered]@{}
            $r.UnknownAccount = Refusal { Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName nobody7 } -ErrorAction Stop }
            $weak = Secure 'short'
            $r.Weak = Refusal { Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:weak -UserName recover2 } -ErrorAction Stop }
            $r.BadName = Refusal { Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName 'a b' } -ErrorAction Stop }
            $r.NotSecure = Refusal { Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken 'plain-text' -UserName recover2 } -ErrorAction Stop }
            $earlier = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName recover2 }
            $earlierResponse = Recover $earlier
            $token = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName recover2 }
            $response = Recover $token
            $r.Replaced = Complete $earlierResponse
            $r.Forged = Complete (Recover $token -key $impostor)
            $r.Tampered = Complete (Retamper $response)
            $r.Damaged = Complete ($response.Substring(0, 10) + $(if ($response[10] -eq 'A') { 'B' } else { 'A' }) + $response.Substring(11))
            $r.RequestInstead = Complete $token
            $r.SupportResponse = Complete (Grant (Invoke-Command -Session $pep { Get-SupportSessionToken }))
            $r.Huge = Complete ('A' * 100000)
            $r.Message = try { Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:earlierResponse } -ErrorAction Stop } catch { $_.Exception.Message }
            $r.OldStillLogsIn = LogIn recover2 '{{OldPassword}}'
            $r.Genuine = (Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:response }).Account
            $r.NewLogsIn = LogIn recover2 'Recovery-New-8r!'
            Remove-PSSession $pep
            [pscustomobject]$r | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("CloudAdminUserNotFound", json.GetProperty("UnknownAccount").GetString());
        Assert.Equal("PasswordPolicyNotMet", json.GetProperty("Weak").GetString());
        Assert.Equal("InvalidUserName", json.GetProperty("BadName").GetString());
        Assert.Equal("CannotConvertArgumentNoMessage", json.GetProperty("NotSecure").GetString());
        Assert.Equal("PasswordRecoveryTokenInvalid", json.GetProperty("Replaced").GetString());
        Assert.Equal("PasswordRecoveryTokenInvalid", json.GetProperty("Forged").GetString());
        Assert.Equal("PasswordRecoveryTokenInvalid", json.GetProperty("Tampered").GetString());
        Assert.Equal("PasswordRecoveryTokenDamaged", json.GetProperty("Damaged").GetString());
        Assert.Equal("PasswordRecoveryTokenWrongKind", json.GetProperty("RequestInstead").GetString());
        Assert.Equal("PasswordRecoveryTokenWrongKind", json.GetProperty("SupportResponse").GetString());
        Assert.Equal("ParameterArgumentValidationError", json.GetProperty("Huge").GetString());
        Assert.Equal(
            "The token is not valid here: it was not issued for this instance's waiting recovery by the registered support authority.",
            json.GetProperty("Message").GetString());
        Assert.Equal("ERCS01", json.GetProperty("OldStillLogsIn").GetString());
        Assert.Equal(@"AZURESTACK\recover2", json.GetProperty("Genuine").GetString());
        Assert.Equal("ERCS01", json.GetProperty("NewLogsIn").GetString());
    }
}
