using Pep.Core.Deployment;
using Pep.Core.Platform;

namespace Pep.Core.Identities;

/// <summary>
/// Gives a state directory to the gateway's account, as root: everything private (folders 0700, files 0600) except
/// the few public things a session host reads itself, which the session group may read but never write (0640,
/// and the folders on their way 0710: entered, not listed). Run by <c>pep init</c> for the whole state and by
/// <c>pep serve</c>, before it drops to the gateway's account, for the shared part and its own instance (another
/// instance's sessions may be running in theirs).
/// </summary>
public static class StateOwnership
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateFolder = PrivateDirectory.Mode;
    private const UnixFileMode SessionReadable = PrivateFile | UnixFileMode.GroupRead;
    private const UnixFileMode SessionTraversable = PrivateFolder | UnixFileMode.GroupExecute;

    /// <summary>The whole state, every instance included (no gateway runs yet).</summary>
    public static void ApplyToAll(StateLayout layout, ServiceAccounts accounts, DeploymentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ApplyShared(layout, accounts, config);
        foreach (InstanceConfig instance in config.Instances)
        {
            ApplyToInstance(layout, accounts, instance.Name);
        }
    }

    /// <summary>What every instance shares: the root, keys, TLS, settings, the account store, store credentials.</summary>
    public static void ApplyShared(StateLayout layout, ServiceAccounts accounts, DeploymentConfig config)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(config);
        string instances = Path.Combine(layout.Root, "instances");
        Give(layout.Root, accounts, SessionTraversable, shared: true);
        foreach (string entry in Directory.EnumerateFileSystemEntries(layout.Root))
        {
            if (entry != instances)
            {
                GiveTree(entry, accounts, layout);
            }
        }

        if (Directory.Exists(instances))
        {
            Give(instances, accounts, SessionTraversable, shared: true);
        }

        // Store credentials kept outside the state (etcd's password file and client key) are the gateway's too.
        foreach (string? secret in new[] { config.Store?.PasswordFile, config.Store?.ClientKeyFile })
        {
            if (secret is not null && File.Exists(Path.Combine(layout.Root, secret)))
            {
                Give(Path.Combine(layout.Root, secret), accounts, PrivateFile, shared: false);
            }
        }
    }

    /// <summary>
    /// Session accounts must pass through every folder above the state to reach their configuration, module and live
    /// transcript folder. A folder above it that others may not enter (a <c>mktemp -d</c> folder, mode 0700) would let
    /// every host start and then hang at its runspace open, unable to read its configuration: refused here, at start,
    /// with the folder named, instead.
    /// </summary>
    public static void CheckReachable(StateLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        for (DirectoryInfo? folder = new DirectoryInfo(layout.Root).Parent; folder is not null; folder = folder.Parent)
        {
            UnixFileMode mode = File.GetUnixFileMode(folder.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new DeploymentException(
                    $"Session hosts run as session accounts of their own and cannot enter '{folder.FullName}' (mode {Convert.ToString((int)mode, 8).PadLeft(4, '0')}), "
                    + $"which holds the state directory: let others enter it (chmod o+x '{folder.FullName}') or keep the state elsewhere.");
            }
        }
    }

    /// <summary>One instance's folder: its key, version floor, runtime folder and transcripts (live folders left by a previous run included).</summary>
    public static void ApplyToInstance(StateLayout layout, ServiceAccounts accounts, string instance)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(accounts);
        PrivateDirectory.Create(layout.RuntimeDirectory(instance));
        PrivateDirectory.Create(layout.TranscriptDirectory(instance));
        GiveTree(layout.InstanceDirectory(instance), accounts, layout);
    }

    /// <summary>
    /// Gives a file of the state that was just rewritten (an atomic write replaces it with a new file of the writer's
    /// group and creation mode) its owner, group and mode again, so that what sessions read, such as
    /// <c>deployment.json</c> after a rotation, stays readable to them and what is private stays private. Nothing when
    /// the deployment runs without separation (no service accounts, or a process that is neither root nor the gateway).
    /// </summary>
    public static void Reapply(StateLayout layout, string path)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (ServiceAccounts.Find(PosixAccountDatabase.Read()) is { } accounts
            && (PosixOwnership.IsRoot || PosixOwnership.EffectiveUserId == accounts.Gateway.Uid))
        {
            GiveTree(path, accounts, layout);
        }
    }

    private static void GiveTree(string path, ServiceAccounts accounts, StateLayout layout)
    {
        try
        {
            GiveTreeOnce(path, accounts, layout);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Removed while we walked (a running instance's temporary or journal file): nothing left to give.
        }
    }

    private static void GiveTreeOnce(string path, ServiceAccounts accounts, StateLayout layout)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            // A link is never followed: what it points to is not the state's to give.
            return;
        }

        bool folder = Directory.Exists(path);
        if (folder && IsSshDoorFolder(path, layout))
        {
            KeepForRoot(path);
            return;
        }

        UnixFileMode mode = SessionMode(path, layout) ?? (folder ? PrivateFolder : PrivateFile);
        Give(path, accounts, mode, shared: mode is SessionReadable or SessionTraversable);
        if (folder)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(path))
            {
                GiveTree(entry, accounts, layout);
            }
        }
    }

    /// <summary>An instance's SSH door folder (host key, sshd_config): read by the door's keeper, which is root; the gateway needs none of it.</summary>
    private static bool IsSshDoorFolder(string path, StateLayout layout)
        => Path.GetFileName(path) == "ssh" && Path.GetDirectoryName(Path.GetDirectoryName(path)) == Path.Combine(layout.Root, "instances");

    /// <summary>Gives a tree back to root, private (a previous version gave the SSH door's folder to the gateway).</summary>
    private static void KeepForRoot(string path)
    {
        if (new FileInfo(path).LinkTarget is not null)
        {
            return;
        }

        PosixOwnership.Change(path, 0, 0);
        if (Directory.Exists(path))
        {
            File.SetUnixFileMode(path, PrivateFolder);
            foreach (string entry in Directory.EnumerateFileSystemEntries(path))
            {
                KeepForRoot(entry);
            }
        }
    }

    /// <summary>The mode of what a session host reads itself (public, never secret), or null for private.</summary>
    private static UnixFileMode? SessionMode(string path, StateLayout layout)
    {
        if (path == layout.ConfigFile || path == layout.StampManifest || path == layout.LegalNotice
            || path == layout.SupportAuthorityBundle || path == layout.StampPublicKey)
        {
            return SessionReadable;
        }

        string? parent = Path.GetDirectoryName(path);
        bool instanceFolder = parent == Path.Combine(layout.Root, "instances");
        bool ofInstance = parent is not null && Path.GetDirectoryName(parent) == Path.Combine(layout.Root, "instances");
        return path == layout.KeysDirectory || instanceFolder
               || (ofInstance && Path.GetFileName(path) is "transcripts" or "runtime")
            ? SessionTraversable
            : null;
    }

    private static void Give(string path, ServiceAccounts accounts, UnixFileMode mode, bool shared)
    {
        PosixOwnership.Change(path, accounts.Gateway.Uid, shared ? accounts.SessionGroupId : accounts.Gateway.Gid);
        File.SetUnixFileMode(path, mode);
    }
}
