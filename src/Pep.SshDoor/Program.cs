using Pep.SshDoor;

// pep-ssh-door auth SOCKET            (pam_exec expose_authtok: the password on stdin, PAM_USER and PAM_RHOST set)
// pep-ssh-door keys SOCKET USER    (AuthorizedKeysCommand with %u: OpenSSH 9.2 gives it no client address)
// pep-ssh-door session SOCKET         (ForceCommand: SSH_ORIGINAL_COMMAND says what the client asked for)
// Exit codes: 0 done, 1 refused, 2 misuse or the gateway unreachable.
return args switch
{
    ["auth", string socket] => await GatewayRequests.CheckPasswordAsync(socket),
    ["keys", string socket, string user] => await GatewayRequests.ListKeysAsync(socket, user),
    ["session", string socket] => await SubsystemRelay.RunAsync(socket),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("pep-ssh-door is started by sshd for the endpoint's SSH front door, not by hand.");
    return 2;
}
