using System.Net;
using Microsoft.Extensions.Logging;
using Pep.Core.Accounts;
using Pep.Core.Contracts;

namespace Pep.Gateway;

/// <summary>
/// The gateway's events: this file is the audit event catalogue. Ids are stable. No event carries a
/// password, a token or anything a session user typed.
/// </summary>
internal static partial class GatewayLog
{
    [LoggerMessage(1000, LogLevel.Information, "Instance {Instance} listening on https://{Address}:{Port}/PrivilegedEndpoint")]
    public static partial void Listening(ILogger logger, string instance, string address, int port);

    [LoggerMessage(1100, LogLevel.Information, "Login succeeded for {User} from {Client}")]
    public static partial void LoginSucceeded(ILogger logger, string user, IPAddress? client);

    [LoggerMessage(1101, LogLevel.Warning, "Login refused for '{UserText}' from {Client}")]
    public static partial void LoginRefused(ILogger logger, string userText, IPAddress? client);

    // 1102 (account locked after failed logins) is retired: failed logins no longer lock an account.

    [LoggerMessage(1103, LogLevel.Error, "Login refused for {User}: the stored account record is not signed by the stamp key (tampered store?)")]
    public static partial void RecordNotTrusted(ILogger logger, string user);

    // 1104 (one line per refused connection) is retired: refusals are summarised by 1106.

    [LoggerMessage(1106, LogLevel.Warning, "Refused {Count} connections or logins from {Source} in the last {Seconds} s: {Reasons}")]
    public static partial void RefusalsSummarised(ILogger logger, int count, string source, int seconds, string reasons);

    [LoggerMessage(1107, LogLevel.Error, "Login refused for {User}: the stored account record is older than one this instance has seen (written back into the store?)")]
    public static partial void RecordReplayed(ILogger logger, string user);

    [LoggerMessage(1108, LogLevel.Warning, "Login refused for {User} from {Client}: an administrator locked the account")]
    public static partial void LockedByAdministrator(ILogger logger, string user, IPAddress? client);

    [LoggerMessage(1109, LogLevel.Warning, "Login refused for {User} from {Client}: the account's budget of failed logins is spent and this source never logged in to it; the password was not checked")]
    public static partial void AttemptBudgetSpent(ILogger logger, string user, IPAddress? client);

    [LoggerMessage(1110, LogLevel.Warning, "Source {Source} blocked until {BlockedUntil:O} after too many failed logins")]
    public static partial void SourceBlocked(ILogger logger, string source, DateTimeOffset blockedUntil);

    [LoggerMessage(1111, LogLevel.Warning, "The account store could not be read to learn the versions of its records; trying again in a minute: {Reason}")]
    public static partial void AccountVersionsUnread(ILogger logger, string reason);

    [LoggerMessage(1105, LogLevel.Error, "Login from {Client} refused: the account store is unavailable: {Reason}")]
    public static partial void AccountStoreUnavailable(ILogger logger, IPAddress? client, string reason);

    [LoggerMessage(1200, LogLevel.Information, "Session {SessionId} started for {User} from {Client} (host pid {Pid})")]
    public static partial void SessionStarted(ILogger logger, Guid sessionId, string user, string client, int pid);

    [LoggerMessage(1201, LogLevel.Information, "Session {SessionId} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, Guid sessionId, SessionEndReason reason);

    [LoggerMessage(1202, LogLevel.Warning, "Session {SessionId}: client message of more than {Limit} bytes; session closed")]
    public static partial void MessageTooLarge(ILogger logger, Guid sessionId, int limit);

    [LoggerMessage(1203, LogLevel.Warning, "Session {SessionId}: session host exited unexpectedly with code {ExitCode}")]
    public static partial void HostExited(ILogger logger, Guid sessionId, int exitCode);

    [LoggerMessage(1204, LogLevel.Debug, "Session {SessionId} host: {Line}")]
    public static partial void HostDiagnostic(ILogger logger, Guid sessionId, string line);

    [LoggerMessage(1205, LogLevel.Error, "Session {SessionId}: the session host could not be started")]
    public static partial void HostStartFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1206, LogLevel.Information, "Warm session host started for session {SessionId} in culture/UI culture {Culture} (host pid {Pid})")]
    public static partial void WarmHostStarted(ILogger logger, Guid sessionId, string culture, int pid);

    [LoggerMessage(1214, LogLevel.Information, "Session {SessionId}: its login was not over {Seconds:0} s after it took a warm session host; the pool starts the next one now")]
    public static partial void RefillDeferralOver(ILogger logger, Guid sessionId, double seconds);

    [LoggerMessage(1207, LogLevel.Warning, "Warm session host for session {SessionId} exited with code {ExitCode} before a login took it")]
    public static partial void WarmHostLost(ILogger logger, Guid sessionId, int exitCode);

    [LoggerMessage(1208, LogLevel.Warning, "Session {SessionId}: the login could not be handed to its warm session host; starting a cold one")]
    public static partial void HandoverFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1211, LogLevel.Information, "Session {SessionId}: session host ready after {Milliseconds:0} ms")]
    public static partial void HostReady(ILogger logger, Guid sessionId, double milliseconds);

    [LoggerMessage(1370, LogLevel.Information, "Session {SessionId}: answered the login {Milliseconds:0} ms after its request arrived ({HostKind} host; verification, the host's hand-over or start and the transcript folders included)")]
    public static partial void SessionAnswered(ILogger logger, Guid sessionId, double milliseconds, string hostKind);

    [LoggerMessage(1371, LogLevel.Information, "Session {SessionId}: usable {Milliseconds:0} ms after its login request arrived (its first command answered)")]
    public static partial void SessionUsable(ILogger logger, Guid sessionId, double milliseconds);

    // 1375-1379: re-login tickets (Pep.Core/Accounts/ReloginTickets). Never the ticket, its digest or the password.

    [LoggerMessage(1375, LogLevel.Information, "Login of {User} from {Client} accepted with a re-login ticket: the password matched the one a verified login from this address gave within the last {Minutes} min (single use, account record unchanged); PBKDF2 was not run")]
    public static partial void ReloginTicketAccepted(ILogger logger, string user, IPAddress? client, double minutes);

    [LoggerMessage(1376, LogLevel.Warning, "Re-login ticket refused for '{UserText}' from {Client}: {Reason}; the ticket is spent and the password goes to the verifier as without one")]
    public static partial void ReloginTicketRefused(ILogger logger, string userText, IPAddress? client, ReloginTicketOutcome reason);

    [LoggerMessage(1377, LogLevel.Information, "Re-login ticket issued to {User} at {Client}, usable once within {Minutes} min")]
    public static partial void ReloginTicketIssued(ILogger logger, string user, IPAddress? client, double minutes);

    [LoggerMessage(1213, LogLevel.Information, "Session {SessionId} ended ({Reason}): host input ended in {InputMs:0} ms, client told and host gone in {ExitMs:0} ms, sealed in {SealMs:0} ms, client and relay done in {TeardownMs:0} ms")]
    public static partial void SessionTeardown(ILogger logger, Guid sessionId, SessionEndReason reason, double inputMs, double exitMs, double sealMs, double teardownMs);

    [LoggerMessage(1210, LogLevel.Error, "Session {SessionId}: the relay failed; the session is ended and its transcript sealed")]
    public static partial void RelayFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1212, LogLevel.Warning, "Session {SessionId}: the session host reports: {Message}")]
    public static partial void HostWarning(ILogger logger, Guid sessionId, string message);

    [LoggerMessage(1209, LogLevel.Information, "Session {SessionId}: Close-PrivilegedEndpoint has finished; closing the session")]
    public static partial void CloseRequested(ILogger logger, Guid sessionId);

    [LoggerMessage(1300, LogLevel.Information, "Session {SessionId} transcript sealed as {File} (ledger entry {Sequence}, SHA-256 {Sha256}, end reason {Reason})")]
    public static partial void TranscriptSealed(ILogger logger, Guid sessionId, string file, long sequence, string sha256, string reason);

    [LoggerMessage(1301, LogLevel.Information, "Session {SessionId} transcript was sealed and delivered by Close-PrivilegedEndpoint")]
    public static partial void TranscriptClosed(ILogger logger, Guid sessionId);

    [LoggerMessage(1302, LogLevel.Error, "Session {SessionId}: the transcript could not be sealed now; it stays in its folder and is sealed at the next start")]
    public static partial void TranscriptSealFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1304, LogLevel.Warning, "Session {SessionId}: its state (host, end) could not be recorded beside its transcript; a Close in another session may not wait for its seal")]
    public static partial void SessionStateNotRecorded(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1303, LogLevel.Error, "Transcripts left by a previous run could not be sealed now; they stay and are sealed at the next start")]
    public static partial void AbandonedSealFailed(ILogger logger, Exception exception);

    [LoggerMessage(1310, LogLevel.Error, "Session {SessionId}: the gateway's record of the session could not be started; the session is refused")]
    public static partial void RecordNotStarted(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1311, LogLevel.Error, "Session {SessionId}: the gateway's record of the session could not be written; what it holds so far is sealed")]
    public static partial void RecordWriteFailed(ILogger logger, Guid sessionId, Exception exception);

    [LoggerMessage(1312, LogLevel.Warning, "Session {SessionId}: the gateway's record was still being written {Seconds} s after the session ended; it is sealed as it stands")]
    public static partial void RecordIncomplete(ILogger logger, Guid sessionId, double seconds);

    [LoggerMessage(1330, LogLevel.Information, "Session {SessionId}: written to after its Close sealed it; sealed again as {File} (ledger entry {Sequence}, SHA-256 {Sha256}), for the next Close to deliver")]
    public static partial void SealedAfterClose(ILogger logger, Guid sessionId, string file, long sequence, string sha256);

    [LoggerMessage(1360, LogLevel.Warning, "Session {SessionId}: the gateway's record was still being decoded {Seconds} s after a Close asked for it; the Close seals it as it stands")]
    public static partial void RecordBehindClose(ILogger logger, Guid sessionId, double seconds);

    [LoggerMessage(1361, LogLevel.Error, "The record spool a previous gateway left in {Folder} could not be decoded; the session is sealed with the record as it stands")]
    public static partial void RecordSpoolNotRecovered(ILogger logger, string folder, Exception exception);

    [LoggerMessage(1320, LogLevel.Information, "Instance {Instance} chain head: ledger entry {Entries}, hash {HeadHash}")]
    public static partial void ChainHead(ILogger logger, string instance, long entries, string headHash);

    [LoggerMessage(1400, LogLevel.Information, "TLS certificate changed on disk: new connections get {Thumbprint} (SHA-256)")]
    public static partial void TlsCertificateReloaded(ILogger logger, string thumbprint);

    [LoggerMessage(1401, LogLevel.Error, "TLS certificate file changed but could not be loaded; new connections keep getting {Thumbprint}")]
    public static partial void TlsCertificateReloadFailed(ILogger logger, string thumbprint, Exception exception);

    // 1410-1419: the session broker (Broker/SessionBroker). The request text is the request's own Describe(): its kind
    // and arguments, user-typed names shortened and made one line, never a password or share credential.

    [LoggerMessage(1410, LogLevel.Information, "Session {SessionId} broker: {User} asks {Request} (host pid {Pid})")]
    public static partial void BrokerRequest(ILogger logger, Guid sessionId, string user, string request, int pid);

    [LoggerMessage(1411, LogLevel.Information, "Session {SessionId} broker: {Request} for {User}: {Outcome} in {Milliseconds:0} ms")]
    public static partial void BrokerOutcome(ILogger logger, Guid sessionId, string user, string request, string outcome, double milliseconds);

    [LoggerMessage(1412, LogLevel.Warning, "Session {SessionId} broker: connection from pid {Pid} (uid {Uid}) refused: not this session's host")]
    public static partial void BrokerPeerRefused(ILogger logger, Guid sessionId, int pid, uint uid);

    [LoggerMessage(1413, LogLevel.Warning, "Session {SessionId} broker: request refused: {Reason}")]
    public static partial void BrokerRequestRefused(ILogger logger, Guid sessionId, string reason);

    [LoggerMessage(1414, LogLevel.Warning, "Session {SessionId} broker: a request refused, {Limit} are in progress already")]
    public static partial void BrokerBusy(ILogger logger, Guid sessionId, int limit);

    [LoggerMessage(1415, LogLevel.Warning, "Session {SessionId} broker: the session host went away before it read the outcome of {Request} ({Outcome})")]
    public static partial void BrokerPeerGone(ILogger logger, Guid sessionId, string request, string outcome);

    [LoggerMessage(1416, LogLevel.Error, "Session {SessionId} broker: {Request} failed")]
    public static partial void BrokerFailed(ILogger logger, Guid sessionId, string request, Exception exception);
    [LoggerMessage(1600, LogLevel.Information, "Containment: every session host and everything it starts runs in its session's cgroup under {Folder}, killed as one when the session ends ({Leftovers} left by a previous run ended now)")]
    public static partial void ContainmentOn(ILogger logger, string folder, int leftovers);

    [LoggerMessage(1601, LogLevel.Warning, "Containment is OFF: {Problem}. Session hosts run without a cgroup; a process a session detaches (setsid, nohup, double fork) can outlive its session")]
    public static partial void ContainmentOff(ILogger logger, string problem);

    [LoggerMessage(1602, LogLevel.Error, "Session {SessionId}: its cgroup was not empty within the wait after cgroup.kill; it is killed again at the next start")]
    public static partial void CgroupNotEmptied(ILogger logger, Guid sessionId);

    [LoggerMessage(1610, LogLevel.Warning, "Session {SessionId}: support elevation started; the gateway ends the session, and everything it started, in {Seconds} s (host asked for {RequestedSeconds} s)")]
    public static partial void ElevationStarted(ILogger logger, Guid sessionId, long seconds, long requestedSeconds);

    [LoggerMessage(1611, LogLevel.Error, "Session {SessionId}: a further elevation signal was refused (one elevation per session; the first one's end stands)")]
    public static partial void ElevationRefused(ILogger logger, Guid sessionId);

    [LoggerMessage(1612, LogLevel.Warning, "Session {SessionId}: the support grant ran out; ending the session and everything it started")]
    public static partial void ElevationEnded(ILogger logger, Guid sessionId);

    /// <summary>A session host's problem, with the event id of its kind (<see cref="Pep.Core.Contracts.HostProblem"/>).</summary>
    public static void HostProblem(ILogger logger, Guid sessionId, HostProblem problem, string message)
    {
        switch (problem)
        {
            case Pep.Core.Contracts.HostProblem.SupportLogNotWritten:
                SupportLogNotWritten(logger, sessionId, message);
                break;
            case Pep.Core.Contracts.HostProblem.StreamLogNotWritten:
                StreamLogNotWritten(logger, sessionId, message);
                break;
            default:
                CommandAfterCloseRefused(logger, sessionId, message);
                break;
        }
    }

    [LoggerMessage(1630, LogLevel.Error, "Session {SessionId}: support.log could not be written; the step was refused: {Message}")]
    private static partial void SupportLogNotWritten(ILogger logger, Guid sessionId, string message);

    [LoggerMessage(1631, LogLevel.Error, "Session {SessionId}: endpoint-streams.log could not be written; the command was refused or the session ended: {Message}")]
    private static partial void StreamLogNotWritten(ILogger logger, Guid sessionId, string message);

    [LoggerMessage(1632, LogLevel.Warning, "Session {SessionId}: a command after Close-PrivilegedEndpoint was refused: {Message}")]
    private static partial void CommandAfterCloseRefused(ILogger logger, Guid sessionId, string message);

    [LoggerMessage(1620, LogLevel.Warning, "Session {SessionId}: the client sent more after Close-PrivilegedEndpoint sealed the session; it is not relayed (logged once per session)")]
    public static partial void InputAfterCloseDropped(ILogger logger, Guid sessionId);

    [LoggerMessage(1500, LogLevel.Information, "Instance {Instance}: SSH front door listening on {Address}:{Port} (sshd {Pid}, door {DoorId}; its host key's fingerprint is in event 1710)")]
    public static partial void SshDoorListening(ILogger logger, string instance, string address, int port, int pid, string doorId);

    [LoggerMessage(1501, LogLevel.Error, "The SSH front door could not start, and the instance takes no SSH login (HTTPS is not affected): {Reason}")]
    public static partial void SshDoorFailed(ILogger logger, string reason);

    [LoggerMessage(1502, LogLevel.Error, "sshd of the SSH front door exited (code {ExitCode}); the instance takes no SSH login until it restarts")]
    public static partial void SshDaemonExited(ILogger logger, int exitCode);

    [LoggerMessage(1503, LogLevel.Information, "sshd: {Line}")]
    public static partial void SshDaemonLine(ILogger logger, string line);

    [LoggerMessage(1504, LogLevel.Warning, "SSH door: a connection to its {Socket} socket was refused: {Reason}")]
    public static partial void SshDoorConnectionRefused(ILogger logger, string socket, string reason);

    [LoggerMessage(1505, LogLevel.Information, "Key login for {User}: sshd was given the account's {Count} key(s)")]
    public static partial void SshKeysListed(ILogger logger, string user, int count);

    // 1710-1719: the SSH door's keeper (the root part of the door, for a gateway that dropped root).
    [LoggerMessage(1710, LogLevel.Information, "SSH door {DoorId}: sshd listens on port {Port} (sshd {Pid}), host key {Fingerprint}, for the gateway running as uid {GatewayUid}")]
    public static partial void SshDoorKeeperStarted(ILogger logger, string doorId, int port, int pid, string fingerprint, int gatewayUid);

    [LoggerMessage(1711, LogLevel.Information, "SSH door {DoorId}: the keeper stops sshd ({Reason})")]
    public static partial void SshDoorKeeperStopping(ILogger logger, string doorId, string reason);

    [LoggerMessage(1712, LogLevel.Warning, "SSH door: the gateway's list of account names was not read: {Reason}")]
    public static partial void SshDoorAccountNamesRefused(ILogger logger, string reason);

    [LoggerMessage(1713, LogLevel.Error, "SSH door: its keeper (pid {Pid}) did not report a listening sshd within {Seconds} s; the instance takes no SSH login")]
    public static partial void SshDoorKeeperMissing(ILogger logger, int pid, double seconds);
    // 1900-1919: syslog forwarding (Syslog/SyslogForwarder). These events are never forwarded themselves.

    [LoggerMessage(1900, LogLevel.Warning, "Syslog: events cannot be delivered to {Server}; they stay queued on disk and are sent when it answers ({Queued} queued): {Reason}")]
    public static partial void SyslogUndeliverable(ILogger logger, string server, string reason, int queued);

    [LoggerMessage(1901, LogLevel.Information, "Syslog: delivering to {Server} again")]
    public static partial void SyslogDelivering(ILogger logger, string server);

    [LoggerMessage(1902, LogLevel.Warning, "Syslog: lost {Count} events (the queue holds at most {Capacity}; the oldest were dropped); the server was told")]
    public static partial void SyslogEventsLost(ILogger logger, long count, int capacity);

    [LoggerMessage(1903, LogLevel.Information, "Syslog: security events are forwarded to {Server}")]
    public static partial void SyslogServerSet(ILogger logger, string server);

    [LoggerMessage(1904, LogLevel.Information, "Syslog: no server is set; security events are not forwarded")]
    public static partial void SyslogServerRemoved(ILogger logger);

    [LoggerMessage(1905, LogLevel.Warning, "Syslog: the shared settings could not be read; the last ones read stay in use: {Reason}")]
    public static partial void SyslogSettingsUnread(ILogger logger, string reason);

    [LoggerMessage(1906, LogLevel.Error, "Syslog: the queue in {Folder} could not be written; events are lost until it can")]
    public static partial void SyslogQueueFailed(ILogger logger, string folder, Exception exception);

    // 1930-1959: the operator's toolbox (TLS policy, DNS server settings, BMC credentials).

    [LoggerMessage(1930, LogLevel.Information, "TLS policy {Version} applied to new connections: {Protocols}")]
    public static partial void TlsPolicyApplied(ILogger logger, string version, string protocols);

    [LoggerMessage(1931, LogLevel.Error, "The shared TLS policy '{Value}' is not one this endpoint knows; new connections take TLS 1.3 only until a valid policy is set")]
    public static partial void TlsPolicyUnknown(ILogger logger, string value);

    [LoggerMessage(1932, LogLevel.Warning, "The TLS policy cannot be read from the shared settings; the current one stays: {Message}")]
    public static partial void TlsPolicyStoreUnreachable(ILogger logger, string message);

    // 1940-1949: the support authority's exchanges through the broker (Broker/SupportAuthorityRequests): a CloudAdmin
    // password recovery, and break the glass's request tokens. Ids and hashes only, never a token or a password.

    [LoggerMessage(1940, LogLevel.Warning, "Session {SessionId}: {User} asked for a password recovery of {Account} (recovery {RecoveryId}, request {RequestHash}, expires {ExpiresUtc:u}){Replaced}")]
    public static partial void PasswordRecoveryRequested(ILogger logger, Guid sessionId, string user, string account, Guid recoveryId, string requestHash, DateTimeOffset expiresUtc, string replaced);

    [LoggerMessage(1941, LogLevel.Warning, "Session {SessionId}: {User} completed the password recovery of {Account} with the support authority's response (recovery {RecoveryId}, request {RequestHash}): its password is now the one the token committed to")]
    public static partial void PasswordRecoveryCompleted(ILogger logger, Guid sessionId, string user, string account, Guid recoveryId, string requestHash);

    [LoggerMessage(1942, LogLevel.Warning, "Session {SessionId}: a password recovery response from {User} was refused: {Reason}")]
    public static partial void PasswordRecoveryRefused(ILogger logger, Guid sessionId, string user, string reason);

    [LoggerMessage(1944, LogLevel.Information, "Session {SessionId}: {User} requested a support session token (support session {SupportSessionId}, request {RequestHash}, expires {ExpiresUtc:u})")]
    public static partial void SupportTokenRequested(ILogger logger, Guid sessionId, string user, Guid supportSessionId, string requestHash, DateTime expiresUtc);

    // 1700-1719: the two identities (issue 11): session accounts, privilege drop, ownership.

    [LoggerMessage(1700, LogLevel.Information, "Session hosts run as session accounts of their own ({FirstAccount} to {LastAccount}, one per host); the gateway runs as uid {GatewayUid}")]
    public static partial void SeparationOn(ILogger logger, string firstAccount, string lastAccount, int gatewayUid);

    [LoggerMessage(1701, LogLevel.Warning, "NO PRIVILEGE SEPARATION: {Reason}. Session hosts run as the gateway's own account (uid {Uid}): an elevated session can read the keys, the account store and the ledger, and other sessions' transcripts")]
    public static partial void SeparationOff(ILogger logger, string reason, int uid);

    // 1800-1829: tracked actions (Actions/ActionRunner) and the stamp operations the broker runs for sessions. Function
    // names are the cmdlets'; summaries are the gateway's own text (role names from the manifest), never a password.

    [LoggerMessage(1800, LogLevel.Information, "Action {ActionId} {FunctionName} started for {User} (session {SessionId})")]
    public static partial void ActionStarted(ILogger logger, string actionId, string functionName, string user, Guid sessionId);

    [LoggerMessage(1801, LogLevel.Information, "Action {ActionId} {FunctionName} for {User}: {State} ({Outcome}) in {Seconds:0.0} s")]
    public static partial void ActionEnded(ILogger logger, string actionId, string functionName, string user, string state, string outcome, double seconds);

    [LoggerMessage(1802, LogLevel.Warning, "Action {FunctionName} for {User} refused: {Reason}")]
    public static partial void ActionRefused(ILogger logger, string functionName, string user, string reason);

    [LoggerMessage(1803, LogLevel.Warning, "Action {ActionId} {FunctionName} of {User}, started {StartedUtc:u}, marked Interrupted: this instance's gateway stopped before it ended")]
    public static partial void ActionInterrupted(ILogger logger, string actionId, string functionName, string user, DateTime startedUtc);

    [LoggerMessage(1804, LogLevel.Error, "Action {ActionId} {FunctionName}: its state could not be written to the shared store")]
    public static partial void ActionStoreFailed(ILogger logger, string actionId, string functionName, Exception exception);

    [LoggerMessage(1805, LogLevel.Error, "Action {ActionId} {FunctionName} failed in the gateway")]
    public static partial void ActionFailed(ILogger logger, string actionId, string functionName, Exception exception);

    [LoggerMessage(1806, LogLevel.Warning, "The actions a previous run of this instance left running could not be marked Interrupted (the shared store did not answer): {Reason}")]
    public static partial void LeftoverActionsUnread(ILogger logger, string reason);
}
