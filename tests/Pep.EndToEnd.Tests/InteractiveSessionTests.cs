using Pep.Core.Platform;
using Pep.EndToEnd.Tests.Infrastructure;

namespace Pep.EndToEnd.Tests;

/// <summary>Enter-PSSession as a person uses it: the real pwsh in a real terminal (tmux), keys typed, screen read.</summary>
[Trait(Requires.Trait, Requires.Tmux)]
public sealed class InteractiveSessionTests(RunningDeployment fixture) : IClassFixture<RunningDeployment>
{
    [Fact]
    public async Task EnterPSSession_ShowsTheRemotePrompt_RunsCommands_RefusesScripts_AndExits()
    {
        string tmuxSession = await EnterInTerminalAsync(fixture.Deployment, width: 160);
        try
        {
            await WaitForScreenAsync(tmuxSession, "[127.0.0.1]: PS");

            await Type(tmuxSession, "Get-AzureStackStampInformation");
            string screen = await WaitForScreenAsync(tmuxSession, "ERCS01");
            Assert.Contains("azs", screen, StringComparison.Ordinal);

            await Type(tmuxSession, "1+1");
            await WaitForScreenAsync(tmuxSession, "no-language mode");

            await Type(tmuxSession, "Exit-PSSession");
            await Type(tmuxSession, "'local:' + (6*7)");
            await WaitForScreenAsync(tmuxSession, "local:42");
        }
        finally
        {
            await Tmux("kill-session", "-t", tmuxSession);
        }
    }

    /// <summary>
    /// Starts pwsh in a new tmux terminal that logs in (the password read from a file it deletes at once, never
    /// from the command line) and runs Enter-PSSession. Returns the tmux session's name; the caller waits for the
    /// remote prompt and kills the tmux session.
    /// </summary>
    internal static async Task<string> EnterInTerminalAsync(TestDeployment deployment, int width, string setup = "")
    {
        string tmuxSession = "pep-test-" + Guid.NewGuid().ToString("N")[..8];
        string passwordFile = Path.Combine(deployment.StateDirectory, $"{tmuxSession}.pw");
        SecretFile.WriteAllText(passwordFile, deployment.AdminPassword);
        string script = Path.Combine(deployment.StateDirectory, $"{tmuxSession}.ps1");
        await File.WriteAllTextAsync(script, PwshClient.Prelude(TestDeployment.AdminUser, deployment.ComputerNames, deployment.Thumbprint)
            .Replace("$env:PEP_TEST_PASSWORD", $"(Get-Content -Raw '{passwordFile}').Trim()", StringComparison.Ordinal) + $$"""
            Remove-Item '{{passwordFile}}'
            {{setup}}
            $pep = New-PepSession -ComputerName $computers -Credential $cred -CertificateThumbprint $thumbprint
            Enter-PSSession $pep
            """);

        await Tmux("new-session", "-d", "-s", tmuxSession, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", "50",
            $"{RepositoryPaths.Pwsh} -NoLogo -NoProfile -NoExit -Command \". '{script}'\"");
        return tmuxSession;
    }

    internal static Task Type(string session, string line) => Tmux("send-keys", "-t", session, "-l", line).ContinueWith(_ => Tmux("send-keys", "-t", session, "Enter")).Unwrap();

    internal static async Task<string> WaitForScreenAsync(string session, string text)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        string screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = (await Tmux("capture-pane", "-p", "-t", session, "-S", "-200")).StandardOutput;
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return screen;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"'{text}' did not appear on the terminal within 60 s. Screen:\n{screen}");
    }

    internal static async Task<ProcessResult> Tmux(params string[] arguments)
    {
        ProcessResult result = await ProcessRunner.RunAsync("tmux", arguments, timeout: TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0 || arguments[0] == "kill-session", $"tmux {string.Join(' ', arguments)}: {result}");
        return result;
    }
}
