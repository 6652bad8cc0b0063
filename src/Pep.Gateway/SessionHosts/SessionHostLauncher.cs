using System.Diagnostics.CodeAnalysis;
using Pep.Core.Deployment;
using Pep.Core.Platform;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;
using Pep.Gateway.Broker;
using Pep.Gateway.Containment;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// Starts the session hosts of one instance, each with its own runtime folder (session configuration, hand-over,
/// home) in the instance's runtime folder: cold for a login that is waiting, or warm ahead of one
/// (<see cref="SessionHostPool"/>), each in a cgroup of its session when containment is on (<see cref="SessionCgroups"/>).
/// With separation (session account slots) each host runs as a session account of its own, leased for as long as
/// its session's files exist.
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Every path here is built from the instance name and a server-made GUID; nothing a client sends is part of one.")]
internal sealed class SessionHostLauncher
{
    /// <summary>
    /// rwxrws--T (3770): the gateway owns the folder; the host's account enters and writes it through the folder's
    /// group (its own), which everything created inside inherits (setgid), so the gateway, a member of that group,
    /// reads what the host wrote; the sticky bit keeps the host from removing or replacing the gateway's files in it.
    /// </summary>
    internal const UnixFileMode HostFolderMode = PrivateDirectory.Mode | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                                 | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    private const UnixFileMode HostReadable = AtomicFile.Private | UnixFileMode.GroupRead;

    private readonly string _pwsh;
    private readonly StateLayout _layout;
    private readonly string _instance;
    private readonly string _endpointModuleManifest;
    private readonly SessionAccountSlots? _slots;
    private readonly Lazy<string> _warmConfiguration;
    private readonly SessionBrokers _brokers;
    private readonly SessionCgroups? _cgroups;

    public SessionHostLauncher(
        string pwsh, StateLayout layout, string instance, string endpointModuleManifest, SessionBrokers brokers, SessionCgroups? cgroups, SessionAccountSlots? slots)
    {
        _brokers = brokers;
        _cgroups = cgroups;
        _pwsh = pwsh;
        _layout = layout;
        _instance = instance;
        _endpointModuleManifest = endpointModuleManifest;
        _slots = slots;
        _warmConfiguration = new Lazy<string>(WriteWarmConfiguration, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Whether hosts run as session accounts of their own (issue 11), or as the gateway's own account.</summary>
    public bool Separated => _slots is not null;

    public string ConfigurationFile(Guid sessionId) => Path.Combine(_layout.SessionRuntimeDirectory(_instance, sessionId), "session.pssc");

    /// <summary>Starts a host for a login that has already been authenticated.</summary>
    public SessionHostProcess StartCold(SessionIdentity identity, HostCultures cultures)
    {
        HostAccount? account = Prepare(identity.SessionId);
        string configurationFile = WriteConfiguration(identity.SessionId);
        SessionCgroup? cgroup = _cgroups?.Create(identity.SessionId);
        return RemoveCgroupIfNotStarted(cgroup, () => WithBroker(identity.SessionId, account, broker =>
        {
            SessionHostProcess host = SessionHostProcess.Start(
                Command(configurationFile, cgroup, account), cgroup, identity, CultureName.ToPosixLocale(cultures.Culture), StartupHook, cultures.UICulture.Name, broker);
            broker.Bind(identity);
            return host;
        }));
    }

    /// <summary>Starts a warm host for the session id it will serve under, in the cultures its login must ask for.</summary>
    public SessionHostProcess StartWarm(Guid sessionId, HostCultures cultures)
    {
        HostAccount? account = Prepare(sessionId);
        string configurationFile = WriteConfiguration(sessionId);
        SessionCgroup? cgroup = _cgroups?.Create(sessionId);
        return RemoveCgroupIfNotStarted(cgroup, () => WithBroker(sessionId, account, broker => SessionHostProcess.StartWarm(
            Command(configurationFile, cgroup, account), cgroup, _layout.Root, _warmConfiguration.Value, StartupHook, HandoverFile(sessionId),
            CultureName.ToPosixLocale(cultures.Culture), cultures.UICulture.Name, broker)));
    }

    /// <summary>
    /// Opens the session's broker before its host starts (the host is told its path), reachable by the host's account
    /// only; closes it if the host does not start.
    /// </summary>
    private SessionHostProcess WithBroker(Guid sessionId, HostAccount? account, Func<SessionBroker, SessionHostProcess> start)
    {
        BrokerSocketAccess? access = account is null ? null : new BrokerSocketAccess((uint)account.Account.Uid, account.Account.Gid, account.SessionGroupId);
        SessionBroker broker = _brokers.Open(sessionId, access);
        try
        {
            return start(broker);
        }
        catch
        {
            broker.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    private static SessionHostProcess RemoveCgroupIfNotStarted(SessionCgroup? cgroup, Func<SessionHostProcess> start)
    {
        try
        {
            return start();
        }
        catch
        {
            cgroup?.KillAndRemove();
            throw;
        }
    }

    private HostLaunchCommand Command(string configurationFile, SessionCgroup? cgroup, HostAccount? account)
        => new(_pwsh, configurationFile, cgroup?.ProcsFile, account);

    /// <summary>
    /// Makes the session's runtime folder and, with separation, leases its account and gives the folder to it (see
    /// <see cref="HostFolderMode"/>). Idempotent: a warm host's session that falls back to a cold host keeps both.
    /// </summary>
    private HostAccount? Prepare(Guid sessionId)
    {
        string folder = _layout.SessionRuntimeDirectory(_instance, sessionId);
        if (_slots is null)
        {
            PrivateDirectory.Create(folder);
            return null;
        }

        Core.Identities.PosixAccount account = _slots.Lease(sessionId);
        GiveToHost(folder, account.Gid);
        GiveToHost(Path.Combine(folder, "tmp"), account.Gid);
        return new HostAccount(account, _slots.Accounts.SessionGroupId, folder, _slots.SupportGroupIds);
    }

    /// <summary>
    /// Gives the session's live transcript folder to its host's account (before the host writes into it); nothing
    /// without separation, where the folder stays 0700 and the host, as the gateway's account, writes it.
    /// </summary>
    public void GrantTranscriptFolder(Guid sessionId, string folder)
    {
        if (_slots is not null)
        {
            GiveToHost(folder, _slots.Lease(sessionId).Gid);
        }
    }

    private static void GiveToHost(string folder, int gid)
    {
        PrivateDirectory.Create(folder);
        PosixOwnership.ChangeGroup(folder, gid);
        File.SetUnixFileMode(folder, HostFolderMode);
    }

    /// <summary>The endpoint's .NET startup hook: it sets a host's UI culture, and warms a warm host up, before pwsh's own start.</summary>
    private string StartupHook => Path.Combine(Path.GetDirectoryName(_endpointModuleManifest)!, "Pep.SessionModule.dll");

    /// <summary>Gives the warm host started for this session id its login: its broker first, then the hand-over file it reads.</summary>
    public void HandOver(SessionHostProcess host, SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Broker.Bind(identity);
        SessionHandover.Write(HandoverFile(identity.SessionId), identity, Separated ? HostReadable : AtomicFile.Private);
    }

    /// <summary>
    /// Removes a session's runtime folder once its host has exited, or never started, and gives its account back.
    /// A folder the host made impossible to remove (an elevated session can change its own files' modes) is left
    /// for the next start and does not keep the account.
    /// </summary>
    public void DeleteConfiguration(Guid sessionId)
    {
        try
        {
            string folder = _layout.SessionRuntimeDirectory(_instance, sessionId);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for DeleteLeftoverConfigurations; the account is free once the host is gone.
        }
        finally
        {
            _slots?.Release(sessionId);
        }
    }

    /// <summary>Removes the runtime folders a previous run of this instance left; no host of this run exists yet.</summary>
    public void DeleteLeftoverConfigurations()
    {
        _brokers.DeleteLeftovers();
        foreach (string folder in Directory.EnumerateDirectories(_layout.RuntimeDirectory(_instance)))
        {
            if (Guid.TryParseExact(Path.GetFileName(folder), "N", out _))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // A folder its host locked from the gateway: it holds nothing the endpoint needs.
                }
            }
        }
    }

    private string HandoverFile(Guid sessionId) => Path.Combine(_layout.SessionRuntimeDirectory(_instance, sessionId), "session.handover");

    private string WriteConfiguration(Guid sessionId)
    {
        string configurationFile = ConfigurationFile(sessionId);
        string transcriptFolder = LiveTranscriptFolder.PathOf(_layout, _instance, sessionId);
        AtomicFile.WriteAllText(configurationFile, SessionConfigurationWriter.Render(_endpointModuleManifest, transcriptFolder), HostReadable);
        return configurationFile;
    }

    private string WriteWarmConfiguration()
    {
        // Read by every warm host: in the runtime folder (which the session group may enter, not list), readable by the group.
        string file = Path.Combine(_layout.RuntimeDirectory(_instance), "warm-up.pssc");
        AtomicFile.WriteAllText(file, SessionConfigurationWriter.Render(_endpointModuleManifest, transcriptDirectory: null), HostReadable);
        if (_slots is not null)
        {
            PosixOwnership.ChangeGroup(file, _slots.Accounts.SessionGroupId);
        }

        return file;
    }
}
