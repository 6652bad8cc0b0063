using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>
/// The SSH front door with stock clients only: the pinned pwsh with nothing imported, OpenSSH's ssh, and sshpass to
/// type passwords at ssh's own prompt. sshd is the real one; the gateway decides every login and runs every session.
/// </summary>
[Trait(Requires.Trait, Requires.Ssh)]
[Trait(Requires.Trait, Requires.Root)]
[Trait(Requires.Trait, Requires.Tmux)]
public sealed class SshFrontDoorTests(SshDeployment fixture) : IClassFixture<SshDeployment>
{
    [Fact]
    public async Task EnterPSSession_InATerminal_WithThePasswordTypedAtSshsPrompt_GivesTheRestrictedConsole()
    {
        string tmuxSession = "pep-ssh-" + Guid.NewGuid().ToString("N")[..8];
        string script = Path.Combine(fixture.Deployment.StateDirectory, $"{tmuxSession}.ps1");
        await File.WriteAllTextAsync(script, $"Enter-PSSession -HostName 127.0.0.1 -Port {fixture.SshPort} -UserName cloudadmin -Options {fixture.PwshOptions}\n");
        await InteractiveSessionTests.Tmux("new-session", "-d", "-s", tmuxSession, "-x", "160", "-y", "50",
            $"{RepositoryPaths.Pwsh} -NoLogo -NoProfile -NoExit -Command \". '{script}'\"");
        try
        {
            await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "password:");
            await InteractiveSessionTests.Type(tmuxSession, fixture.Deployment.AdminPassword);
            await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "]: PS");

            await InteractiveSessionTests.Type(tmuxSession, "Get-AzureStackStampInformation");
            string screen = await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "ERCS01");
            Assert.Contains("azs", screen, StringComparison.Ordinal);

            await InteractiveSessionTests.Type(tmuxSession, "1+1");
            await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "no-language mode");

            await InteractiveSessionTests.Type(tmuxSession, "Exit-PSSession");
            await InteractiveSessionTests.Type(tmuxSession, "'local:' + (6*7)");
            screen = await InteractiveSessionTests.WaitForScreenAsync(tmuxSession, "local:42");
            Assert.DoesNotContain(fixture.Deployment.AdminPassword, screen, StringComparison.Ordinal);
        }
        finally
        {
            await InteractiveSessionTests.Tmux("kill-session", "-t", tmuxSession);
        }
    }

    [Fact]
    public async Task InvokeCommand_WithAKeyFile_RunsCommands_RefusesScripts_ImportsCommands_AndSealsATranscriptNamingUserAndClient()
    {
        ProcessResult result = await fixture.PwshAsync($$"""
            $s = New-PSSession -HostName 127.0.0.1 -Port {{fixture.SshPort}} -UserName cloudadmin -KeyFilePath '{{fixture.KeyFile}}' -Options {{fixture.PwshOptions}}
            'stamp:' + (Invoke-Command -Session $s { Get-AzureStackStampInformation }).CurrentInstance
            try { Invoke-Command -Session $s { 1 + 1 } -ErrorAction Stop } catch { 'script:' + $_.FullyQualifiedErrorId }
            $null = Import-PSSession $s -CommandName Get-AzureStackStampInformation -Prefix Pep -AllowClobber
            'imported:' + (Get-PepAzureStackStampInformation).StampName
            Remove-PSSession $s
            """, environment: new Dictionary<string, string> { ["LANG"] = "C.UTF-8" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("stamp:ERCS01", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("script:ScriptsNotAllowed", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("imported:azs", result.StandardOutput, StringComparison.Ordinal);
        string sealedFolder = Path.Combine(fixture.Deployment.Layout.TranscriptDirectory("ERCS01"), "sealed");
        string transcript = "";
        await EndpointInstance.WaitUntilAsync(
            () => Directory.Exists(sealedFolder) && Directory.EnumerateFiles(sealedFolder).Select(File.ReadAllText)
                .Any(text => (transcript = text).Contains("Get-AzureStackStampInformation", StringComparison.Ordinal) && text.Contains("Import", StringComparison.Ordinal)),
            "a sealed transcript of the key session");
        Assert.Contains(@"User: AZURESTACK\cloudadmin", transcript, StringComparison.Ordinal);
        Assert.Contains("Client address: 127.0.0.1", transcript, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACultureSentWithSendEnv_IsTheSessionsCulture()
    {
        ProcessResult result = await fixture.PwshAsync($$"""
            $o = {{fixture.PwshOptions}}
            $o.SendEnv = 'LANG'
            $s = New-PSSession -HostName 127.0.0.1 -Port {{fixture.SshPort}} -UserName cloudadmin -KeyFilePath '{{fixture.KeyFile}}' -Options $o
            Invoke-Command -Session $s { Get-AzureStackStampInformation } | Out-Null
            Remove-PSSession $s
            """, environment: new Dictionary<string, string> { ["LANG"] = "de_DE.UTF-8" });

        Assert.True(result.ExitCode == 0, result.ToString());
        string sealedFolder = Path.Combine(fixture.Deployment.Layout.TranscriptDirectory("ERCS01"), "sealed");
        await EndpointInstance.WaitUntilAsync(
            () => Directory.Exists(sealedFolder) && Directory.EnumerateFiles(sealedFolder).Select(File.ReadAllText).Any(text => text.Contains("Culture: de-DE", StringComparison.Ordinal)),
            "a sealed transcript of a session in de-DE");
    }

    [Fact]
    public async Task AWrongPassword_AnUnknownUser_AndALockedAccount_AreRefused_AndNoSessionStarts()
    {
        string lockedPassword = await fixture.AddAccountAsync("lockedout");
        await fixture.PepAsync("account", "lock", "--state", fixture.Deployment.StateDirectory, "--user", "lockedout");
        int sessionsBefore = CountOccurrences(fixture.Instance.Output, " started for ");

        ProcessResult wrong = await fixture.SshAsync("cloudadmin", "Not-The-Password-1", ["-s"], "powershell");
        ProcessResult unknown = await fixture.SshAsync("nosuchuser", fixture.Deployment.AdminPassword, ["-s"], "powershell");
        ProcessResult locked = await fixture.SshAsync("lockedout", lockedPassword, ["-s"], "powershell");

        foreach (ProcessResult refused in (ProcessResult[])[wrong, unknown, locked])
        {
            Assert.True(refused.ExitCode != 0, refused.ToString());
            Assert.Contains("Permission denied", refused.StandardError, StringComparison.Ordinal);
        }

        await EndpointInstance.WaitUntilAsync(() => fixture.Instance.Output.Contains("Login refused for lockedout from 127.0.0.1: an administrator locked the account", StringComparison.Ordinal),
            "the gateway's log says why the locked account was refused");
        Assert.Contains("Login refused for 'nosuchuser' from 127.0.0.1", fixture.Instance.Output, StringComparison.Ordinal);
        Assert.Equal(sessionsBefore, CountOccurrences(fixture.Instance.Output, " started for "));
    }

    [Fact]
    public async Task FiveFailedPasswordsOverSsh_SpendTheAccountsBudget_ForBothFrontDoors()
    {
        string password = await fixture.AddAccountAsync("guessed");
        for (int i = 0; i < SshDeployment.AccountBudget; i++)
        {
            ProcessResult failed = await fixture.SshAsync("guessed", "Wrong-Guess-" + i, ["-s"], "powershell");
            Assert.True(failed.ExitCode != 0, failed.ToString());
        }

        // The right password from a source that never logged in to the account is not even checked now, on either door.
        ProcessResult overSsh = await fixture.SshAsync("guessed", password, ["-s"], "powershell");
        ProcessResult overHttps = await fixture.Deployment.RunClientAsync("""
            try { New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint | Out-Null; 'opened' }
            catch { 'refused:' + $_.FullyQualifiedErrorId }
            """, password, @"AZURESTACK\guessed");

        Assert.Contains("Permission denied", overSsh.StandardError, StringComparison.Ordinal);
        Assert.Contains("refused:InvalidCredential", overHttps.StandardOutput, StringComparison.Ordinal);
        await EndpointInstance.WaitUntilAsync(() => CountOccurrences(fixture.Instance.Output, "Login refused for guessed from 127.0.0.1: the account's budget") == 2,
            () => $"the gateway refused the right password twice for the spent budget:\n{fixture.Instance.Output}");
    }

    [Fact]
    public async Task AShell_ACommand_APortForward_AndATty_AreAllRefused()
    {
        ProcessResult shell = await fixture.SshAsync("cloudadmin", null, ["-T"]);
        ProcessResult command = await fixture.SshAsync("cloudadmin", null, [], "id");
        ProcessResult forward = await fixture.SshAsync("cloudadmin", null, ["-W", $"127.0.0.1:{fixture.Deployment.Instances[0].Port}"]);
        ProcessResult remoteForward = await fixture.SshAsync("cloudadmin", null, ["-o", "ExitOnForwardFailure=yes", "-N", "-R", "0:127.0.0.1:22"]);
        ProcessResult tty = await fixture.SshAsync("cloudadmin", null, ["-tt", "-s"], "powershell");

        foreach (ProcessResult refused in (ProcessResult[])[shell, command])
        {
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains("subsystem only: no shell and no command", refused.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("uid=", refused.StandardOutput, StringComparison.Ordinal);
        }

        Assert.True(forward.ExitCode != 0, forward.ToString());
        Assert.Contains("administratively prohibited", forward.StandardError, StringComparison.Ordinal);
        Assert.True(remoteForward.ExitCode != 0, remoteForward.ToString());
        Assert.Contains("remote port forwarding failed", remoteForward.StandardError, StringComparison.Ordinal);
        Assert.Contains("PTY allocation request failed", tty.StandardError, StringComparison.Ordinal);
    }

    private static int CountOccurrences(string text, string what)
    {
        int count = 0;
        for (int at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
