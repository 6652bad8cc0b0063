using System.Diagnostics.CodeAnalysis;
using Pep.Core.Deployment;
using Pep.Core.Sessions;
using Pep.Core.Transcripts;
using Pep.Gateway.Broker;
using Pep.Gateway.Containment;

namespace Pep.Gateway.SessionHosts;

/// <summary>
/// Starts the session hosts of one instance, each with its own session configuration in the instance's
/// runtime folder: cold for a login that is waiting, or warm ahead of one (<see cref="SessionHostPool"/>), each in
/// a cgroup of its session when containment is on (<see cref="SessionCgroups"/>).
/// </summary>
[SuppressMessage("Security", "CA3003", Justification = "Every path here is built from the instance name and a server-made GUID; nothing a client sends is part of one.")]
internal sealed class SessionHostLauncher
{
    private readonly string _pwsh;
    private readonly StateLayout _layout;
    private readonly string _instance;
    private readonly string _endpointModuleManifest;
    private readonly Lazy<string> _warmConfiguration;
    private readonly SessionBrokers _brokers;
    private readonly SessionCgroups? _cgroups;

    public SessionHostLauncher(string pwsh, StateLayout layout, string instance, string endpointModuleManifest, SessionBrokers brokers, SessionCgroups? cgroups)
    {
        _brokers = brokers;
        _cgroups = cgroups;
        _pwsh = pwsh;
        _layout = layout;
        _instance = instance;
        _endpointModuleManifest = endpointModuleManifest;
        _warmConfiguration = new Lazy<string>(WriteWarmConfiguration, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string ConfigurationFile(Guid sessionId) => Path.Combine(_layout.RuntimeDirectory(_instance), $"{sessionId:N}.pssc");

    /// <summary>Starts a host for a login that has already been authenticated.</summary>
    public SessionHostProcess StartCold(SessionIdentity identity, HostCultures cultures)
    {
        string configurationFile = WriteConfiguration(identity.SessionId);
        SessionCgroup? cgroup = _cgroups?.Create(identity.SessionId);
        return RemoveCgroupIfNotStarted(cgroup, () => WithBroker(identity.SessionId, broker =>
        {
            SessionHostProcess host = SessionHostProcess.Start(
                Command(configurationFile, cgroup), cgroup, identity, CultureName.ToPosixLocale(cultures.Culture), StartupHook, cultures.UICulture.Name, broker);
            broker.Bind(identity);
            return host;
        }));
    }

    /// <summary>Starts a warm host for the session id it will serve under, in the cultures its login must ask for.</summary>
    public SessionHostProcess StartWarm(Guid sessionId, HostCultures cultures)
    {
        string configurationFile = WriteConfiguration(sessionId);
        SessionCgroup? cgroup = _cgroups?.Create(sessionId);
        return RemoveCgroupIfNotStarted(cgroup, () => WithBroker(sessionId, broker => SessionHostProcess.StartWarm(
            Command(configurationFile, cgroup), cgroup, _layout.Root, _warmConfiguration.Value, StartupHook, HandoverFile(sessionId),
            CultureName.ToPosixLocale(cultures.Culture), cultures.UICulture.Name, broker)));
    }

    /// <summary>Opens the session's broker before its host starts (the host is told its path); closes it if the host does not start.</summary>
    private SessionHostProcess WithBroker(Guid sessionId, Func<SessionBroker, SessionHostProcess> start)
    {
        SessionBroker broker = _brokers.Open(sessionId);
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

    private HostLaunchCommand Command(string configurationFile, SessionCgroup? cgroup) => new(_pwsh, configurationFile, cgroup?.ProcsFile);

    /// <summary>The endpoint's .NET startup hook: it sets a host's UI culture, and warms a warm host up, before pwsh's own start.</summary>
    private string StartupHook => Path.Combine(Path.GetDirectoryName(_endpointModuleManifest)!, "Pep.SessionModule.dll");

    /// <summary>Gives the warm host started for this session id its login: its broker first, then the hand-over file it reads.</summary>
    public void HandOver(SessionHostProcess host, SessionIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Broker.Bind(identity);
        SessionHandover.Write(HandoverFile(identity.SessionId), identity);
    }

    /// <summary>Removes a session's configuration (and hand-over) once its host has exited, or never started.</summary>
    public void DeleteConfiguration(Guid sessionId)
    {
        File.Delete(ConfigurationFile(sessionId));
        File.Delete(HandoverFile(sessionId));
    }

    /// <summary>Removes the configurations and hand-overs a previous run of this instance left; no host of this run exists yet.</summary>
    public void DeleteLeftoverConfigurations()
    {
        _brokers.DeleteLeftovers();
        foreach (string pattern in new[] { "*.pssc", "*.handover", "*.handover.partial" })
        {
            foreach (string file in Directory.EnumerateFiles(_layout.RuntimeDirectory(_instance), pattern))
            {
                File.Delete(file);
            }
        }
    }

    private string HandoverFile(Guid sessionId) => Path.Combine(_layout.RuntimeDirectory(_instance), $"{sessionId:N}.handover");

    private string WriteConfiguration(Guid sessionId)
    {
        string configurationFile = ConfigurationFile(sessionId);
        string transcriptFolder = LiveTranscriptFolder.PathOf(_layout, _instance, sessionId);
        File.WriteAllText(configurationFile, SessionConfigurationWriter.Render(_endpointModuleManifest, transcriptFolder));
        return configurationFile;
    }

    private string WriteWarmConfiguration()
    {
        string file = Path.Combine(_layout.RuntimeDirectory(_instance), "warm-up.pssc");
        File.WriteAllText(file, SessionConfigurationWriter.Render(_endpointModuleManifest, transcriptDirectory: null));
        return file;
    }
}
