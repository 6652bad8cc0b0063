using System.Text.Json;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// A recovery answered too late, on a deployment whose tokens live 40 s (<see cref="RecoveryDeployment"/>): refused by
/// the instance, and the vendor refuses to answer the expired token.
/// </summary>
[Collection(SupportSequence.Name)]
public sealed class PasswordRecoveryExpiryTests(RecoveryDeployment fixture) : IClassFixture<RecoveryDeployment>
{
    [Fact]
    public async Task AnAnswerGivenAfterTheTokenExpired_IsRefused_AndTheAuthorityRefusesAnExpiredToken()
    {
        const string OldPassword = "Recovery-Old-3c!";
        ProcessResult result = await fixture.Deployment.RunClientAsync(fixture.Variables + PasswordRecoveryTests.Functions + PasswordRecoveryTests.Open + $$"""
            $old = Secure '{{OldPassword}}'
            $null = Invoke-Command -Session $pep { New-CloudAdminUser recover3 $using:old }
            $new = Secure 'Recovery-New-9s!'
            $r = [ordered]@{}
            $token = Invoke-Command -Session $pep { Get-CloudAdminPasswordRecoveryToken $using:new -UserName recover3 }
            $late = Recover $token
            $expiry = [DateTime]::UtcNow.AddSeconds({{RecoveryDeployment.LifetimeSeconds + 1}})
            while ([DateTime]::UtcNow -lt $expiry) { Start-Sleep -Milliseconds 200 }   # the passing of time is what is tested
            $r.Expired = Refusal { Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:late } -ErrorAction Stop }
            $r.Again = Refusal { Invoke-Command -Session $pep { Complete-CloudAdminPasswordRecovery $using:late } -ErrorAction Stop }
            $out = $token | & dotnet $pepDll authority recover --key $authority 2>&1
            $r.AuthorityExit = $LASTEXITCODE; $r.AuthorityMessage = "$out"
            $r.OldStillLogsIn = LogIn recover3 '{{OldPassword}}'
            Remove-PSSession $pep
            [pscustomobject]$r | ConvertTo-Json -Compress
            """);

        JsonElement json = SessionTests.LastJson(result);
        Assert.Equal("PasswordRecoveryTokenExpired", json.GetProperty("Expired").GetString());
        Assert.Equal("PasswordRecoveryTokenNoPendingRequest", json.GetProperty("Again").GetString());
        Assert.Equal(2, json.GetProperty("AuthorityExit").GetInt32());
        Assert.Contains("recovery token has expired", json.GetProperty("AuthorityMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal("ERCS01", json.GetProperty("OldStillLogsIn").GetString());
    }
}
