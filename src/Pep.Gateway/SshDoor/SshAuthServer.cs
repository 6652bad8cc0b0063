using System.Net.Sockets;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;
using Pep.Core.Platform;
using Pep.Core.Storage;
using Pep.Gateway.Admission;
using Pep.Gateway.Login;

namespace Pep.Gateway.SshDoor;

/// <summary>
/// Answers sshd's helpers on the instance's root-only auth socket: a password is checked exactly as the HTTPS door
/// checks one (the source's slowdown and block, the fair verification queue, the account's budget and lock, the same
/// log lines), and an account's keys are listed only while the account may log in. Either success issues the
/// connection's <see cref="SshLoginTicket"/>.
/// </summary>
internal sealed class SshAuthServer(
    AccountService accounts, LoginAdmission admission, PreAuthGuard guard, SshLoginTickets tickets, TimeProvider time, ILogger logger)
{
    /// <summary>authorized_keys options for every key: no forwarding, no pty, no user rc (sshd_config says so too).</summary>
    private const string KeyOptions = "restrict ";

    public async Task HandleAsync(Socket connection, CancellationToken stopping)
    {
        using Socket socket = connection;
        PeerCredentials peer = PeerCredentials.Of(socket);
        if (peer.Uid != 0)
        {
            GatewayLog.SshDoorConnectionRefused(logger, "auth", $"peer uid {peer.Uid} is not root");
            return;
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        string? line = await ReadLineAsync(stream, stopping);
        string answer = line is null || SshDoorProtocol.ParseRequest(line) is not { } request ? SshDoorProtocol.Refused
            : request switch
            {
                (SshDoorProtocol.PasswordVerb, [string user, string client, string password]) => await CheckPasswordAsync(peer, user, client, password, stopping),
                (SshDoorProtocol.KeysVerb, [string user]) => ListKeys(peer, user),
                _ => SshDoorProtocol.Refused,
            };
        await stream.WriteAsync(Encoding.UTF8.GetBytes(answer + "\n"), stopping);
    }

    private async Task<string> CheckPasswordAsync(PeerCredentials helper, string userText, string clientText, string password, CancellationToken stopping)
    {
        IPAddress? client = IPAddress.TryParse(clientText, out IPAddress? parsed) ? parsed : null;
        string source = SourceAddress.KeyOf(client);
        AdmissionDeadline deadline = LoginAdmission.StartWaiting();
        SourceVerdict verdict = guard.Throttle.Check(source);
        if (verdict.BlockedUntil is not null)
        {
            guard.Refusals.Record(source, FailureKind.SourceBlocked.ToString());
            return SshDoorProtocol.Refused;
        }

        LoginResult? login;
        try
        {
            if (verdict.Delay > TimeSpan.Zero)
            {
                await Task.Delay(verdict.Delay, time, stopping);
            }

            login = await admission.AuthenticateAsync(userText, password, source, deadline, stopping);
        }
        catch (StoreUnavailableException e)
        {
            GatewayLog.AccountStoreUnavailable(logger, client, e.Message);
            return SshDoorProtocol.Refused;
        }

        if (login is null)
        {
            guard.Refusals.Record(source, FailureKind.Busy.ToString());
            return SshDoorProtocol.Refused;
        }

        if (login.Outcome != LoginOutcome.Success)
        {
            RefusedLogins.Record(login, userText, client, source, guard, logger);
            return SshDoorProtocol.Refused;
        }

        guard.Throttle.Succeeded(source);
        GatewayLog.LoginSucceeded(logger, Qualified(login.User!), client);
        return tickets.Issue(helper.Pid, login.User!, clientText, byKey: false) ? SshDoorProtocol.Accepted : SshDoorProtocol.Refused;
    }

    /// <summary>The keys, tab-separated on one line (a key line holds no tab); an empty line for any refusal.</summary>
    /// <remarks>sshd 9.2 tells its AuthorizedKeysCommand no client address, so a source blocked for failed passwords is not
    /// refused here: a key is not guessed, and sshd checks the holder's signature. The session's address comes from sshd
    /// (SSH_CONNECTION) when it starts.</remarks>
    private string ListKeys(PeerCredentials helper, string userText)
    {
        KeyLogin login;
        try
        {
            login = accounts.FindLoginKeys(userText);
        }
        catch (StoreUnavailableException e)
        {
            GatewayLog.AccountStoreUnavailable(logger, null, e.Message);
            return "";
        }

        if (login.Outcome != LoginOutcome.Success || login.Keys.Count == 0 || !tickets.Issue(helper.Pid, login.User!, "unknown", byKey: true))
        {
            return "";
        }

        GatewayLog.SshKeysListed(logger, Qualified(login.User!), login.Keys.Count);
        return string.Join('\t', login.Keys.Select(key => KeyOptions + key.KeyText));
    }

    private string Qualified(string user) => AccountName.TryParse(user, accounts.Domain, out _)!.Qualified(accounts.Domain);

    /// <summary>One line of at most <see cref="SshDoorProtocol.MaxRequestBytes"/>; null for anything longer or cut off.</summary>
    private static async Task<string?> ReadLineAsync(NetworkStream stream, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[SshDoorProtocol.MaxRequestBytes];
        int length = 0;
        try
        {
            while (length < buffer.Length)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(length), timeout.Token);
                if (read == 0)
                {
                    return null;
                }

                int newline = Array.IndexOf(buffer, (byte)'\n', length, read);
                length += read;
                if (newline >= 0)
                {
                    return Encoding.UTF8.GetString(buffer, 0, newline);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        return null;
    }
}
